import { useEffect, useState } from 'preact/hooks';
import type { StoredRecord } from '../api';

/** An editor's draft of one record, the version it was made from, and the outcome of the last save. */
export interface RecordDraft<D> {
  draft: D;
  dirty: boolean;
  baseVersion: number;
  status: { error?: Error; saved?: string };
  /** Replaces the draft (an edit): marks it dirty and clears the last save's outcome. */
  change: (next: D) => void;
  /** The form's submit handler: writes the draft, then takes the saved version as the new base. */
  save: (event: Event) => Promise<void>;
}

/**
 * Holds the draft of `record` (or of a new one): a change made elsewhere replaces an untouched draft, an edited one is
 * kept. `write` creates or saves it (given the base version for If-Match); `onSaved` gets what was stored.
 */
export function useRecordDraft<D>(
  record: StoredRecord | null,
  draftOf: (record: StoredRecord | null) => D,
  write: (draft: D, baseVersion: number) => Promise<StoredRecord>,
  onSaved: (record: StoredRecord) => void,
): RecordDraft<D> {
  const [draft, setDraft] = useState<D>(() => draftOf(record));
  const [dirty, setDirty] = useState(false);
  const [baseVersion, setBaseVersion] = useState(record?.version ?? 0);
  const [status, setStatus] = useState<{ error?: Error; saved?: string }>({});

  useEffect(() => {
    if (record && !dirty) {
      setDraft(draftOf(record));
      setBaseVersion(record.version);
    }
  }, [record?.version]);

  return {
    draft,
    dirty,
    baseVersion,
    status,
    change: (next) => {
      setDraft(next);
      setDirty(true);
      setStatus({});
    },
    save: async (event) => {
      event.preventDefault();
      try {
        const saved = await write(draft, baseVersion);
        setDirty(false);
        setBaseVersion(saved.version);
        setStatus({ saved: `Saved as version ${saved.version}.` });
        onSaved(saved);
      } catch (error) {
        setStatus({ error: error as Error });
      }
    },
  };
}
