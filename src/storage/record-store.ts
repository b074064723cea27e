import type { AuditEntry, AuditEvent } from '../audit/audit-entry';
import type { IAuditLog } from '../audit/audit-log';
import type { RecordKind } from '../domain/record';
import type { RecordOf } from '../domain/records';
import type { JournalEntry, JournalEvent, ParsedJournal } from '../domain/workflow/journal-entry';
import type { SecurityContext } from '../security/security-context';
import { hasErrorCode } from '../domain/errors/agentcfg-error';
import type { IChangeFeed } from './change-feed';

/** A record to store, and the version it must replace: null when no record with its id may exist yet. */
export interface RecordPut<K extends RecordKind = RecordKind> {
  kind: K;
  record: RecordOf<K>;
  expectedVersion: number | null;
}

/** A record to remove, and the version it must be at. */
export interface RecordRemoval {
  kind: RecordKind;
  id: string;
  expectedVersion: number;
}

/** A version about to be replaced, kept in its record's history. */
export interface HistoryKeep<K extends RecordKind = RecordKind> {
  kind: K;
  record: RecordOf<K>;
}

/** Events appended to the journal of a workflow this store has claimed (see IWorkflowJournals.begin). */
export interface JournalAppend {
  workflowId: string;
  events: readonly { event: JournalEvent; data: Record<string, unknown> }[];
}

/**
 * One change to the store, applied all or nothing: when any put or removal finds its record at another version
 * than it expects, the commit is a CONFLICT and nothing of it is stored (records, history, audit or journal).
 */
export interface Commit {
  puts?: readonly RecordPut[];
  removals?: readonly RecordRemoval[];
  history?: readonly HistoryKeep[];
  /** Audit entries of the change: stored no later than the change itself. */
  audit?: readonly AuditEvent[];
  journal?: JournalAppend;
}

/**
 * What a commit stored: its audit entries and journal entries as written (hash-chained, numbered). A commit made
 * inside a workflow's transaction (see IWorkflowJournals.begin) lists no audit entries: they are chained when the
 * transaction is stored.
 */
export interface CommitReceipt {
  audit: AuditEntry[];
  journal: JournalEntry[];
}

/** Who commits (a context with the right to write; FORBIDDEN otherwise), and a cancellation signal. */
export interface CommitOptions {
  context?: SecurityContext;
  /** Aborted before the commit is stored: nothing is stored (UNAVAILABLE). */
  signal?: AbortSignal;
  /**
   * The workflow whose step makes the commit: when the store runs that workflow as one transaction, the commit
   * joins it (and its reads see the workflow's earlier changes).
   */
  workflowId?: string;
}

/** How a read is made: as a workflow run in one transaction sees the records (its own changes included). */
export interface ReadOptions {
  workflowId?: string;
}

/** Reads of the records as committed; every record handed out is frozen. */
export interface StoreReader {
  /** Every record of a kind, in the order they were first stored. */
  records<K extends RecordKind>(kind: K): Promise<readonly RecordOf<K>[]>;
  get<K extends RecordKind>(kind: K, id: string, options?: ReadOptions): Promise<RecordOf<K> | null>;
  /** Previous versions of a record, oldest first (the last HISTORY_LIMIT). */
  history<K extends RecordKind>(kind: K, id: string): Promise<RecordOf<K>[]>;
}

/** A commit planned from a consistent view, and what the plan hands back to its caller. */
export interface Planned<T> {
  commit: Commit;
  result: T;
}

/** How many previous versions of each record a store keeps. */
export const HISTORY_LIMIT = 20;

/** A workflow's journal, claimed by this process while it runs (nobody else may append or recover it). */
export interface ClaimedJournal {
  readonly workflowId: string;
  /** Appends one event (a commit holding only it); returns the entry as written. */
  append(event: JournalEvent, data: Record<string, unknown>): Promise<JournalEntry>;
  /** The entries of the journal: those read when it was resumed, then those appended since. */
  readonly entries: readonly JournalEntry[];
  /**
   * Makes every entry durable and gives up the claim. For a workflow run in one transaction: stores the journal,
   * its steps' record changes and their audit entries together; when that fails, nothing of the workflow is
   * stored and the error says so (see isLostTransaction).
   */
  close(): Promise<void>;
}

/** How a workflow's journal is begun. */
export interface BeginOptions {
  /**
   * Every step of the workflow changes records through this store: a store that can runs the whole workflow as
   * one transaction, so a client that dies part way leaves nothing of it. Others ignore this.
   */
  oneTransaction?: boolean;
  /** Who runs the workflow: a run stored as one transaction is stored as them. */
  context?: SecurityContext;
}

/**
 * A workflow's transaction was lost before it was stored (the connection died, the database chose it as a deadlock
 * victim, a deferred check refused it): nothing of the workflow is stored, and no retry of a single step can get
 * past it, only a new run of the whole workflow.
 */
export function isLostTransaction(error: unknown): boolean {
  return hasErrorCode(error, 'UNAVAILABLE') && error.context.transactionLost === true;
}

/** The journals of workflows: what `workflow list/show` reads and what recovery replays. */
export interface IWorkflowJournals {
  /**
   * Starts the journal of a new workflow, claimed by this process; STORAGE_UNAVAILABLE, before anything is
   * written, where the store cannot be written.
   */
  begin(workflowId: string, options?: BeginOptions): Promise<ClaimedJournal>;
  /**
   * Claims an existing journal to continue it (recovery); null when there is none. UNAVAILABLE when a live process
   * holds it. A torn last entry, left by a crash, is cut off first.
   */
  resume(workflowId: string): Promise<ClaimedJournal | null>;
  /** Reads a journal without claiming it; null when there is none. */
  read(workflowId: string): Promise<ParsedJournal | null>;
  /** Every workflow with a journal. */
  list(): Promise<string[]>;
  /** Workflows that may not have ended (a superset: recovery reads each and decides). */
  listUnended(): Promise<string[]>;
  /** Notes that a workflow ended, so listUnended need not name it again. */
  markEnded(workflowId: string): Promise<void>;
}

/** How a stored collection looks as it is stored, repairing nothing (for verify). */
export interface StoredCollection<T> {
  /** Where the collection lives (a file, a table). */
  file: string;
  status: 'ok' | 'hand-edited' | 'corrupt' | 'missing';
  reason?: string;
  items: readonly T[];
}

/** How a store is doing: degraded while reads are served from the last snapshot because the store is away. */
export interface StoreHealth {
  degraded: boolean;
  /** When the store was last found away (ISO 8601), while degraded. */
  since?: string;
}

/**
 * The storage port: records by kind and id, their history, the audit trail and the workflow journals, changed
 * only by commits. Everything above it (record services, workflows, the configuration service) works through this
 * interface; what a backend stores where, and how it makes a commit durable, is its own business.
 */
export interface IRecordStore extends StoreReader {
  /** What the store is, for messages: a data folder's path, or a database URL without its password. */
  readonly location: string;
  /** Creates what the store needs and tidies what a killed process left behind. Idempotent. */
  initialize(): Promise<void>;
  /** Applies a commit whole (see Commit) and tells the change feed. */
  commit(commit: Commit, options?: CommitOptions): Promise<CommitReceipt>;
  /**
   * Plans a commit from reads no other commit can interleave with, then applies it; a plan that throws commits
   * nothing. The read-check-write of every record change.
   */
  transact<T>(plan: (view: StoreReader) => Promise<Planned<T>>, options?: CommitOptions): Promise<T>;
  /** Changes of records, made through this store or by any other process sharing it. */
  readonly changes: IChangeFeed;
  readonly audit: IAuditLog;
  readonly journals: IWorkflowJournals;
  /** How a collection is stored, for verify; repairs nothing. */
  inspect<K extends RecordKind>(kind: K): Promise<StoredCollection<RecordOf<K>>>;
  /**
   * Writes out whatever the store keeps besides its canonical form (change logs, say), so the canonical form alone
   * holds the current records; says which kinds it wrote. Optional.
   */
  compact?(): Promise<RecordKind[]>;
  /**
   * Refuses (STORAGE_UNAVAILABLE, nothing changed) when there is not room for `changes` record changes to be made
   * and undone. Optional: a store whose transactions cannot run out of room mid-way needs no such check.
   */
  ensureRoom?(changes: number): Promise<void>;
  /** Whether reads are being served from a snapshot while the store is away. Optional: a folder does not go away. */
  health?(): StoreHealth;
  /**
   * The last call: leaves the store as a clean exit does (a folder's change logs folded, unless `compact` is false)
   * and lets go of what it holds open (a database's connections), so the process can exit. Optional.
   */
  close?(options?: CloseOptions): Promise<void>;
}

/** How a store is closed. */
export interface CloseOptions {
  /** False: nothing is written on the way out (a folder's change logs stay as they are). True unless said. */
  compact?: boolean;
}

/** Injection token for the record store. */
export const IRecordStore = Symbol.for('agentcfg.IRecordStore');
