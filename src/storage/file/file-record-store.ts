import { inject, injectable } from 'inversify';
import type { StampedEvent } from '../../audit/audit-chain';
import { shortened, type AuditEntry } from '../../audit/audit-entry';
import { IAuditLog } from '../../audit/audit-log';
import type { FileAuditLog } from './file-audit-log';
import { UnavailableError } from '../../domain/errors/errors';
import type { RecordKind } from '../../domain/record';
import type { RecordOf } from '../../domain/records';
import { deepFreeze } from '../../domain/deep-freeze';
import type { JournalEntry } from '../../domain/workflow/journal-entry';
import { ChangeFeedInterval, type IChangeFeed } from '../change-feed';
import { IFileSystem } from '../file-system';
import { PollingChangeFeed } from '../polling-change-feed';
import type { CloseOptions, Commit, CommitOptions, CommitReceipt, HistoryKeep, IRecordStore, Planned, ReadOptions, StoreReader, StoredCollection } from '../record-store';
import { IAccessControl } from '../../security/access-control';
import { IFileService, type FileTransaction, type RecordChange, type StagedChange } from './file-service';
import type { LoggedOp } from './folder-log';
import { expectVersion, FileWorkflowTransaction, openFileWorkflows } from './file-workflow-transaction';
import { ChangesByKind } from './record-changes';
import { FileWorkflowJournals } from './file-workflow-journals';

type Stored = { id: string; version: number };

/**
 * The record store on a data folder's files, as they have always been laid out: a JSON file per kind under
 * `config/` (with its change log and history), the audit trail in `logs/audit.jsonl`, a journal per workflow in
 * `workflows/`. A commit with record changes runs under the folder's write lock: versions checked (a CONFLICT
 * writes nothing), then its history, audit entries and collection changes stored in one commit of the folder log
 * (see FolderLog): one fdatasync, and all of it or none of it survives a crash. A workflow whose steps all change
 * records runs as one transaction and is stored, journal included, in one such commit at its end (see
 * FileWorkflowTransaction).
 */
@injectable()
export class FileRecordStore implements IRecordStore {
  readonly location: string;
  readonly changes: IChangeFeed;
  readonly journals: FileWorkflowJournals;

  constructor(
    @inject(IFileService) private readonly files: IFileService,
    // The folder's own audit log (file-module binds it), whose appends hand back the entries written.
    @inject(IAuditLog) readonly audit: FileAuditLog,
    @inject(IFileSystem) fs: IFileSystem,
    @inject(ChangeFeedInterval) changePollMs: number,
    @inject(IAccessControl) private readonly access: IAccessControl,
  ) {
    this.location = files.dataDir;
    this.changes = new PollingChangeFeed((kind) => this.files.read(kind), changePollMs);
    this.journals = new FileWorkflowJournals(files.dataDir, fs, async (workflowId, events) => (await this.commit({ journal: { workflowId, events } })).journal, (workflow) => this.storeRun(workflow));
  }

  initialize(): Promise<void> {
    return this.files.initialize();
  }

  async records<K extends RecordKind>(kind: K): Promise<readonly RecordOf<K>[]> {
    return (await this.files.read(kind)).items;
  }

  async get<K extends RecordKind>(kind: K, id: string, options: ReadOptions = {}): Promise<RecordOf<K> | null> {
    const workflow = this.workflowOf(options.workflowId);
    if (workflow) return workflow.oneAtATime.runExclusive(() => workflow.view(this).get(kind, id));
    return (await this.records(kind)).find((r) => r.id === id) ?? null;
  }

  async history<K extends RecordKind>(kind: K, id: string): Promise<RecordOf<K>[]> {
    return deepFreeze(await this.files.history(kind, id));
  }

  inspect<K extends RecordKind>(kind: K): Promise<StoredCollection<RecordOf<K>>> {
    return this.files.inspect(kind);
  }

  async compact(): Promise<RecordKind[]> {
    return (await this.files.compact?.()) ?? [];
  }

  /**
   * Leaves the folder as a clean exit does: the folder log's changes synced in their files, the log empty, and the
   * change logs folded in, so the JSON files alone hold the records (see IFileService.compact); with `compact`
   * false, the folder log is still emptied but no change log is folded.
   */
  async close(options: CloseOptions = {}): Promise<void> {
    if (options.compact === false) await this.files.checkpoint?.();
    else await this.files.compact?.();
  }

  async ensureRoom(changes: number): Promise<void> {
    await this.files.ensureRoom?.(changes);
  }

  async commit(commit: Commit, options: CommitOptions = {}): Promise<CommitReceipt> {
    const workflow = this.workflowOf(options.workflowId);
    if (workflow) return (await this.runIn(workflow, async () => ({ commit, result: undefined }), options)).receipt;
    if (!changesRecords(commit)) return this.appendLogs(commit, options);
    return (await this.locked(async () => ({ commit, result: undefined }), options)).receipt;
  }

  async transact<T>(plan: (view: StoreReader) => Promise<Planned<T>>, options: CommitOptions = {}): Promise<T> {
    const workflow = this.workflowOf(options.workflowId);
    if (workflow) return (await this.runIn(workflow, plan, options)).result;
    return (await this.locked(plan, options)).result;
  }

  /** The open transaction of a workflow this process runs as one, if `workflowId` names one. */
  private workflowOf(workflowId: string | undefined): FileWorkflowTransaction | undefined {
    return workflowId === undefined ? undefined : openFileWorkflows.get(workflowId);
  }

  /** A step's commit, applied to its workflow's transaction (stored when the workflow ends; see FileWorkflowTransaction). */
  private async runIn<T>(workflow: FileWorkflowTransaction, plan: (view: StoreReader) => Promise<Planned<T>>, options: CommitOptions): Promise<{ result: T; receipt: CommitReceipt }> {
    await this.access.authorize(options.context, 'write', { action: 'store.commit' });
    return workflow.oneAtATime.runExclusive(async () => {
      const view = workflow.view(this);
      const planned = await plan(view);
      if (options.signal?.aborted) throw cancelled();
      const journal = await workflow.apply(planned.commit, view);
      return { result: planned.result, receipt: { audit: [], journal } };
    });
  }

  /** Stores what a workflow run in one transaction did, in one commit of the folder (see FileWorkflowTransaction). */
  private async storeRun(workflow: FileWorkflowTransaction): Promise<void> {
    await this.journals.prepare();
    await this.changes.settled();
    await this.files.transaction(
      async (tx) => {
        const run = await workflow.changes(viewOf(tx));
        const journal: LoggedOp = { put: tx.relative(this.journals.pathOf(workflow.workflowId)), text: run.journal.map((entry) => `${JSON.stringify(entry)}\n`).join('') };
        await this.store(tx, run.collections, run.history, run.audit, [journal]);
      },
      { context: workflow.context },
    );
    await this.changes.check().catch(() => undefined);
  }

  /** Plans and applies a commit under the folder's write lock, then tells the change feed. */
  private async locked<T>(plan: (view: StoreReader) => Promise<Planned<T>>, options: CommitOptions): Promise<{ result: T; receipt: CommitReceipt }> {
    await this.changes.settled();
    const done = await this.files.transaction(async (tx) => {
      const view = viewOf(tx);
      const planned = await plan(view);
      return { result: planned.result, receipt: await this.apply(tx, view, planned.commit, options) };
    }, options);
    // A listener that misses the change now sees it on the feed's next look: the commit itself stands.
    await this.changes.check().catch(() => undefined);
    return done;
  }

  /** A commit of audit entries and journal events alone: no record file changes, so no folder lock. */
  private async appendLogs(commit: Commit, options: CommitOptions): Promise<CommitReceipt> {
    if (options.signal?.aborted) throw cancelled();
    const audit: AuditEntry[] = [];
    for (const event of commit.audit ?? []) audit.push(await this.audit.appendEntry(event));
    const journal: JournalEntry[] = commit.journal ? await this.journals.append(commit.journal.workflowId, commit.journal.events) : [];
    return { audit, journal };
  }

  /**
   * Applies a commit under the folder's lock: versions checked (a CONFLICT writes nothing), then the history, the
   * audit entries and the collections stored in one commit of the folder log, and last the journal's events (of a
   * workflow not run as one transaction: its intents were made durable before).
   */
  private async apply(tx: FileTransaction, view: StoreReader, commit: Commit, options: CommitOptions): Promise<CommitReceipt> {
    const changes = new ChangesByKind();
    for (const { kind, record, expectedVersion } of commit.puts ?? []) {
      expectVersion(kind, record.id, await changes.current(view, kind, record.id), expectedVersion);
      changes.put(kind, record);
    }
    for (const { kind, id, expectedVersion } of commit.removals ?? []) {
      expectVersion(kind, id, await changes.current(view, kind, id), expectedVersion);
      changes.remove(kind, id);
    }
    const next = changes.net();
    if (options.signal?.aborted) throw cancelled();
    const now = new Date().toISOString();
    const audit = await this.store(tx, next, commit.history ?? [], (commit.audit ?? []).map((event) => ({ at: now, event: shortened(event) })), []);
    const journal = commit.journal ? await this.journals.append(commit.journal.workflowId, commit.journal.events) : [];
    return { audit, journal };
  }

  /**
   * Stores record changes, the versions they replace, their audit entries and `more` (a journal) as one commit of the
   * folder log: one fdatasync makes all of it durable, or none of it. Returns the audit entries as written.
   */
  private async store(tx: FileTransaction, collections: ReadonlyMap<RecordKind, RecordChange<Stored>>, history: readonly HistoryKeep[], audit: readonly StampedEvent[], more: LoggedOp[]): Promise<AuditEntry[]> {
    const staged: StagedChange[] = [];
    const kept = new Map<RecordKind, RecordOf<RecordKind>[]>();
    for (const { kind, record } of history) kept.set(kind, [...(kept.get(kind) ?? []), record]);
    for (const [kind, records] of kept) staged.push(await tx.stageHistory(kind, records));
    const writes: StagedChange[] = [];
    for (const [kind, change] of collections) writes.push(await tx.stageChange(kind, change as RecordChange<RecordOf<typeof kind>>));
    return this.audit.stage(audit, (path) => tx.relative(path), async (auditOps) => {
      await tx.commitLogged([...staged.flatMap((s) => s.ops), ...auditOps, ...writes.flatMap((s) => s.ops), ...more]);
      for (const change of [...staged, ...writes]) await change.settle();
    });
  }
}

function changesRecords(commit: Commit): boolean {
  return (commit.puts?.length ?? 0) + (commit.removals?.length ?? 0) + (commit.history?.length ?? 0) > 0;
}

function cancelled(): UnavailableError {
  return new UnavailableError('the call was cancelled before the commit; nothing was written', { context: { service: 'store', operation: 'commit' } });
}

/** What a plan reads: the collections as they are under the lock, each read once (nobody else writes meanwhile). */
function viewOf(tx: FileTransaction): StoreReader {
  const read = new Map<RecordKind, Promise<readonly unknown[]>>();
  const records = <K extends RecordKind>(kind: K): Promise<readonly RecordOf<K>[]> => {
    let items = read.get(kind);
    if (!items) {
      items = tx.read(kind).then((snapshot) => snapshot.items);
      read.set(kind, items);
    }
    return items as Promise<readonly RecordOf<K>[]>;
  };
  return {
    records,
    get: async (kind, id) => (await records(kind)).find((r) => r.id === id) ?? null,
    history: (kind, id) => tx.history(kind, id),
  };
}
