import { useEffect, useState } from 'preact/hooks';
import { ApiError, type StoredRecord } from '../api';

/** A save that hit 409: the record as it is stored now, a failed resolution's reason, and whether one is under way. */
export interface Conflict {
  current: StoredRecord;
  problem: string | null;
  busy: boolean;
}

/** An editor's draft of one record, the version it was made from, and the outcome of the last save. */
export interface RecordDraft<D> {
  draft: D;
  dirty: boolean;
  baseVersion: number;
  status: { error?: Error; saved?: string };
  /** Replaces the draft (an edit): marks it dirty and clears the last save's outcome. */
  change: (next: D) => void;
  /** The form's submit handler: writes the draft, then takes the saved version as the new base; a 409 opens `conflict`. */
  save: (event: Event) => Promise<void>;
  /** The open conflict, if a save hit one. */
  conflict: Conflict | null;
  /** The draft of a stored version. */
  draftOf: (record: StoredRecord) => D;
  /** Resolves the conflict: keep mine (save against the current version) or merge (three-way against the base). */
  resolve: (how: 'keep' | 'merge') => Promise<void>;
  /** Resolves the conflict by replacing the draft with the stored version. */
  takeTheirs: () => void;
  /** Closes the conflict, the draft kept. */
  cancelConflict: () => void;
}

/**
 * Holds the draft of `record` (or of a new one): a change made elsewhere replaces an untouched draft, an edited one is
 * kept. `write` creates or saves it (given the version for If-Match, and `merge` for a three-way merge); `onSaved` gets
 * what was stored.
 */
export function useRecordDraft<D>(
  record: StoredRecord | null,
  draftOf: (record: StoredRecord | null) => D,
  write: (draft: D, baseVersion: number, strategy?: 'merge') => Promise<StoredRecord>,
  onSaved: (record: StoredRecord) => void,
): RecordDraft<D> {
  const [draft, setDraft] = useState<D>(() => draftOf(record));
  const [dirty, setDirty] = useState(false);
  const [baseVersion, setBaseVersion] = useState(record?.version ?? 0);
  const [status, setStatus] = useState<{ error?: Error; saved?: string }>({});
  const [conflict, setConflict] = useState<Conflict | null>(null);

  useEffect(() => {
    if (record && !dirty) {
      setDraft(draftOf(record));
      setBaseVersion(record.version);
    }
  }, [record?.version]);

  const saved = (stored: StoredRecord, how: string) => {
    setDirty(false);
    setBaseVersion(stored.version);
    setConflict(null);
    setStatus({ saved: `${how} as version ${stored.version}.` });
    onSaved(stored);
  };

  return {
    draft,
    dirty,
    baseVersion,
    status,
    conflict,
    draftOf,
    change: (next) => {
      setDraft(next);
      setDirty(true);
      setStatus({});
    },
    save: async (event) => {
      event.preventDefault();
      try {
        saved(await write(draft, baseVersion), 'Saved');
      } catch (error) {
        if (record && error instanceof ApiError && error.status === 409 && error.current) setConflict({ current: error.current, problem: null, busy: false });
        else setStatus({ error: error as Error });
      }
    },
    resolve: async (how) => {
      if (!conflict) return;
      setConflict({ ...conflict, busy: true, problem: null });
      try {
        if (how === 'keep') saved(await write(draft, conflict.current.version), 'Kept yours: saved');
        else saved(await write(draft, baseVersion, 'merge'), 'Merged: saved');
      } catch (error) {
        const current = error instanceof ApiError && error.current ? error.current : conflict.current;
        const fields = error instanceof ApiError ? error.details.map((d) => d.path) : [];
        const problem = fields.length > 0 ? `These fields were changed on both sides and cannot be merged: ${fields.join(', ')}. Keep yours or take theirs.` : (error as Error).message;
        setConflict({ current, problem, busy: false });
      }
    },
    takeTheirs: () => {
      if (!conflict) return;
      setDraft(draftOf(conflict.current));
      setBaseVersion(conflict.current.version);
      setDirty(false);
      setStatus({ saved: `Took theirs: the editor shows version ${conflict.current.version}.` });
      setConflict(null);
    },
    cancelConflict: () => setConflict(null),
  };
}
