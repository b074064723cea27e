import type { JournalEntry, JournalEvent } from '../domain/workflow/journal-entry';
import type { ClaimedJournal } from './record-store';

/** How a store appends a claimed journal's events: a commit holding only them. */
export type JournalCommit = (workflowId: string, events: readonly { event: JournalEvent; data: Record<string, unknown> }[]) => Promise<JournalEntry[]>;

/** A claimed journal as every store hands it out: appends are commits; `entries` and `close` are the store's. */
export function claimedJournal(workflowId: string, commit: JournalCommit, entries: () => readonly JournalEntry[], close: () => Promise<void>): ClaimedJournal {
  return {
    workflowId,
    async append(event, data) {
      const [entry] = await commit(workflowId, [{ event, data }]);
      return entry as JournalEntry;
    },
    get entries() {
      return [...entries()];
    },
    close,
  };
}
