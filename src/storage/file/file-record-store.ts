import { inject, injectable } from 'inversify';
import type { AuditEntry } from '../../audit/audit-entry';
import { IAuditLog } from '../../audit/audit-log';
import type { FileAuditLog } from './file-audit-log';
import { ConflictError, UnavailableError } from '../../domain/errors/errors';
import type { RecordKind } from '../../domain/record';
import type { RecordOf } from '../../domain/records';
import { deepFreeze } from '../../domain/deep-freeze';
import type { JournalEntry } from '../../domain/workflow/journal-entry';
import { ChangeFeedInterval, type IChangeFeed } from '../change-feed';
import { IFileSystem } from '../file-system';
import { PollingChangeFeed } from '../polling-change-feed';
import type { Commit, CommitOptions, CommitReceipt, IRecordStore, Planned, StoreReader, StoredCollection } from '../record-store';
import { IFileService, type FileTransaction } from './file-service';
import { FileWorkflowJournals } from './file-workflow-journals';

type Stored = { id: string; version: number };

/**
 * The record store on a data folder's files, as they have always been laid out: a JSON file per kind under
 * `config/` (with its change log and history), the audit trail in `logs/audit.jsonl`, a journal per workflow in
 * `workflows/`. A commit with record changes runs under the folder's write lock and is written in the order that
 * keeps every change undoable: versions checked (a CONFLICT writes nothing), then history, audit entries
 * (fsync'd), the collection files, and last the journal's events. Records of one kind change all or nothing even
 * through a crash; a crash between two kinds of one commit, or after the audit entries and before the records,
 * is what the workflow journal and verify are there for.
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
  ) {
    this.location = files.dataDir;
    this.changes = new PollingChangeFeed((kind) => this.files.read(kind), changePollMs);
    this.journals = new FileWorkflowJournals(files.dataDir, fs, async (workflowId, events) => (await this.commit({ journal: { workflowId, events } })).journal);
  }

  initialize(): Promise<void> {
    return this.files.initialize();
  }

  async records<K extends RecordKind>(kind: K): Promise<readonly RecordOf<K>[]> {
    return (await this.files.read(kind)).items;
  }

  async get<K extends RecordKind>(kind: K, id: string): Promise<RecordOf<K> | null> {
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

  async ensureRoom(changes: number): Promise<void> {
    await this.files.ensureRoom?.(changes);
  }

  async commit(commit: Commit, options: CommitOptions = {}): Promise<CommitReceipt> {
    if (!changesRecords(commit)) return this.appendLogs(commit, options);
    return (await this.locked(async () => ({ commit, result: undefined }), options)).receipt;
  }

  async transact<T>(plan: (view: StoreReader) => Promise<Planned<T>>, options: CommitOptions = {}): Promise<T> {
    return (await this.locked(plan, options)).result;
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

  /** Applies a commit under the folder's lock, in the order the class comment gives. */
  private async apply(tx: FileTransaction, view: StoreReader, commit: Commit, options: CommitOptions): Promise<CommitReceipt> {
    const next = new Map<RecordKind, Stored[]>();
    const collection = async (kind: RecordKind): Promise<Stored[]> => {
      let items = next.get(kind);
      if (!items) {
        items = [...((await view.records(kind)) as readonly Stored[])];
        next.set(kind, items);
      }
      return items;
    };
    for (const { kind, record, expectedVersion } of commit.puts ?? []) {
      const items = await collection(kind);
      const at = items.findIndex((r) => r.id === record.id);
      expectVersion(kind, record.id, at === -1 ? null : items[at]!, expectedVersion);
      if (at === -1) items.push(record);
      else items[at] = record;
    }
    for (const { kind, id, expectedVersion } of commit.removals ?? []) {
      const items = await collection(kind);
      const at = items.findIndex((r) => r.id === id);
      expectVersion(kind, id, at === -1 ? null : items[at]!, expectedVersion);
      items.splice(at, 1);
    }
    if (options.signal?.aborted) throw cancelled();
    for (const { kind, record } of commit.history ?? []) await tx.appendHistory(kind, record);
    const audit: AuditEntry[] = [];
    for (const event of commit.audit ?? []) audit.push(await this.audit.appendEntry(event));
    for (const [kind, items] of next) await tx.write(kind, items as RecordOf<typeof kind>[]);
    const journal = commit.journal ? await this.journals.append(commit.journal.workflowId, commit.journal.events) : [];
    return { audit, journal };
  }
}

function changesRecords(commit: Commit): boolean {
  return (commit.puts?.length ?? 0) + (commit.removals?.length ?? 0) + (commit.history?.length ?? 0) > 0;
}

/** A CONFLICT, naming the version found, unless the record is at the version the commit expects. */
function expectVersion(kind: RecordKind, id: string, current: Stored | null, expected: number | null): void {
  if (expected === null && current === null) return;
  if (current !== null && current.version === expected) return;
  const found = current === null ? 'does not exist' : expected === null ? 'already exists' : `is at version ${current.version}, not the expected ${expected}`;
  throw new ConflictError(`${kind} '${id}' ${found}`, current, { context: { service: 'store', operation: 'commit', kind, id, expectedVersion: expected, currentVersion: current?.version ?? null } });
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
