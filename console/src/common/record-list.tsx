import type { StoredRecord } from '../api';

export interface RecordListProps {
  /** The list's heading and accessible name ("Personalities"). */
  title: string;
  /** The kind's name in the "New …" button ("personality"). */
  singular: string;
  records: readonly Pick<StoredRecord, 'id' | 'name'>[];
  /** The tag beside an item (a run's status); by default "template" on templates. */
  tagOf?: (record: Pick<StoredRecord, 'id' | 'name'>) => string | undefined;
  selected: string | null;
  canWrite: boolean;
  onSelect: (id: string | null) => void;
}

/** The records of one kind (or workflow runs), by name; the selected one is marked current, templates (or statuses) are tagged. Names are rendered as text. */
const templateTag = (record: Pick<StoredRecord, 'id' | 'name'>) => ((record as StoredRecord).isTemplate ? 'template' : undefined);

export function RecordList({ title, singular, records, selected, canWrite, onSelect, tagOf = templateTag }: RecordListProps) {
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
            {tagOf(r) && <span class="tag">{tagOf(r)}</span>}
          </li>
        ))}
      </ul>
    </nav>
  );
}
