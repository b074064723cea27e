import type { StoredRecord } from '../api';

export interface RecordListProps {
  /** The list's heading and accessible name ("Personalities"). */
  title: string;
  /** The kind's name in the "New …" button ("personality"). */
  singular: string;
  records: readonly StoredRecord[];
  selected: string | null;
  canWrite: boolean;
  onSelect: (id: string | null) => void;
}

/** The records of one kind, by name; the selected one is marked current, templates are tagged. Names are rendered as text. */
export function RecordList({ title, singular, records, selected, canWrite, onSelect }: RecordListProps) {
  return (
    <nav class="list" aria-label={title}>
      <h2>{title}</h2>
      {canWrite && (
        <button type="button" onClick={() => onSelect(null)}>
          New {singular}
        </button>
      )}
      <ul>
        {records.map((r) => (
          <li key={r.id}>
            <button type="button" class="link" aria-current={selected === r.id ? 'true' : undefined} data-id={r.id} onClick={() => onSelect(r.id)}>
              {r.name}
            </button>
            {r.isTemplate && <span class="tag">template</span>}
          </li>
        ))}
      </ul>
    </nav>
  );
}
