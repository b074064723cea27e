import type { JournalEntry, JournalEvent, ParsedJournal } from '../../domain/workflow/journal-entry';
import type { IFileSystem } from '../file-system';
import { claimedJournal, type JournalCommit } from '../claimed-journal';
import type { ClaimedJournal, IWorkflowJournals } from '../record-store';
import { JournalStore } from './journal-store';
import type { WorkflowJournal } from './workflow-journal';


/**
 * Workflow journals as files under `workflows/`: one JSON-lines file per workflow, claimed by the lock a live
 * workflow holds beside it (see JournalStore).
 */
export class FileWorkflowJournals implements IWorkflowJournals {
  private readonly store: JournalStore;
  /** The journals this process has claimed, open for appending. */
  private readonly open = new Map<string, WorkflowJournal>();

  constructor(
    dataDir: string,
    fs: IFileSystem,
    private readonly commit: JournalCommit,
  ) {
    this.store = new JournalStore(dataDir, fs);
  }

  async begin(workflowId: string): Promise<ClaimedJournal> {
    await this.store.ensureDir();
    const release = await this.store.lockFor(workflowId, 0).acquire();
    try {
      return this.claimed(workflowId, await this.store.create(workflowId), [], release);
    } catch (error) {
      await release();
      throw error;
    }
  }

  async resume(workflowId: string): Promise<ClaimedJournal | null> {
    const release = await this.store.lockFor(workflowId, 0).acquire();
    try {
      const reopened = await this.store.reopen(workflowId);
      if (!reopened) {
        await release();
        return null;
      }
      return this.claimed(workflowId, reopened.journal, reopened.parsed.entries, release);
    } catch (error) {
      await release();
      throw error;
    }
  }

  read(workflowId: string): Promise<ParsedJournal | null> {
    return this.store.read(workflowId);
  }

  list(): Promise<string[]> {
    return this.store.list();
  }

  listUnended(): Promise<string[]> {
    return this.store.listUnended();
  }

  markEnded(workflowId: string): Promise<void> {
    return this.store.markEnded(workflowId);
  }

  /** Appends events to a journal this process claimed; a journal it has not claimed is a bug of the caller. */
  async append(workflowId: string, events: readonly { event: JournalEvent; data: Record<string, unknown> }[]): Promise<JournalEntry[]> {
    const journal = this.open.get(workflowId);
    if (!journal) throw new Error(`workflow ${workflowId}'s journal is not claimed by this process`);
    const entries: JournalEntry[] = [];
    for (const { event, data } of events) entries.push(await journal.append(event, data));
    return entries;
  }

  private claimed(workflowId: string, journal: WorkflowJournal, earlier: readonly JournalEntry[], release: () => Promise<void>): ClaimedJournal {
    this.open.set(workflowId, journal);
    return claimedJournal(workflowId, this.commit, () => [...earlier, ...journal.writtenEntries], async () => {
      this.open.delete(workflowId);
      try {
        await journal.close();
      } finally {
        await release();
      }
    });
  }
}
