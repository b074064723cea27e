import type { StoredRecord } from '../api';

/** The personalities, by name; the selected one is marked current. Names are rendered as text. */
export function PersonalityList(props: { records: readonly StoredRecord[]; selected: string | null; canWrite: boolean; onSelect: (id: string | null) => void }) {
  return (
    <nav class="list" aria-label="Personalities">
      <h2>Personalities</h2>
      {props.canWrite && (
        <button type="button" onClick={() => props.onSelect(null)}>
          New personality
        </button>
      )}
      <ul>
        {props.records.map((r) => (
          <li key={r.id}>
            <button type="button" class="link" aria-current={props.selected === r.id ? 'true' : undefined} data-id={r.id} onClick={() => props.onSelect(r.id)}>
              {r.name}
            </button>
            {r.isTemplate && <span class="tag">template</span>}
          </li>
        ))}
      </ul>
    </nav>
  );
}
