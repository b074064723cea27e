import type { JournalEntry, JournalEvent, ParsedJournal } from '../../domain/workflow/journal-entry';
import type { IFileSystem } from '../file-system';
import { claimedJournal, type JournalCommit } from '../claimed-journal';
import type { BeginOptions, ClaimedJournal, IWorkflowJournals } from '../record-store';
import { FileWorkflowTransaction, openFileWorkflows } from './file-workflow-transaction';
import type { SecurityContext } from '../../security/security-context';
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
    /** Stores a workflow run as one transaction, when it ends. */
    private readonly storeRun: (workflow: FileWorkflowTransaction) => Promise<void>,
  ) {
    this.store = new JournalStore(dataDir, fs);
  }

  async begin(workflowId: string, options: BeginOptions = {}): Promise<ClaimedJournal> {
    if (options.oneTransaction) return this.beginTransaction(workflowId, options.context);
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

  async markEnded(workflowId: string): Promise<void> {
    // A run in one transaction leaves no marker: it is stored ended, or not at all.
    if (openFileWorkflows.has(workflowId)) return;
    await this.store.markEnded(workflowId);
  }

  /** Path of a workflow's journal. */
  pathOf(workflowId: string): string {
    return this.store.pathOf(workflowId);
  }

  /** Makes the folder journals are stored in, before a run's journal is stored there. */
  prepare(): Promise<void> {
    return this.store.ensureDir();
  }

  /**
   * A workflow run as one transaction (see FileWorkflowTransaction): nobody else sees it before it ends, so there
   * is no claim to take; its events are held until it is closed, when everything it did is stored together.
   */
  private beginTransaction(workflowId: string, context: SecurityContext | undefined): ClaimedJournal {
    this.store.pathOf(workflowId); // a VALIDATION_ERROR for anything but an id
    if (openFileWorkflows.has(workflowId)) throw new Error(`workflow ${workflowId} is already running in this process`);
    const transaction = new FileWorkflowTransaction(workflowId, context);
    openFileWorkflows.set(workflowId, transaction);
    const close = async () => {
      try {
        await this.storeRun(transaction);
      } finally {
        openFileWorkflows.delete(workflowId);
      }
    };
    return claimedJournal(workflowId, async (_id, events) => transaction.holdJournal(events), () => transaction.entries, close);
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
