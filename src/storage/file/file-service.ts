import type { RecordKind } from '../../domain/record';
import type { RecordOf } from '../../domain/records';
import type { CollectionSnapshot } from '../collection-file';
import type { SecurityContext } from '../../security/security-context';
import type { LoggedOp } from './folder-log';

/** Reads and writes made while holding the data folder's write lock. */
export interface FileTransaction {
  /** The collection as it is on disk now (another process's writes included). */
  read<K extends RecordKind>(kind: K): Promise<CollectionSnapshot<RecordOf<K>>>;
  /** Durably replaces the collection's records; returns the new snapshot (revision + 1). */
  write<K extends RecordKind>(kind: K, items: readonly RecordOf<K>[]): Promise<CollectionSnapshot<RecordOf<K>>>;
  /** Previous versions of a record, oldest first (the last HISTORY_LIMIT). */
  history<K extends RecordKind>(kind: K, id: string): Promise<RecordOf<K>[]>;
  /** Durably keeps a version that is about to be replaced. */
  appendHistory<K extends RecordKind>(kind: K, record: RecordOf<K>): Promise<void>;
  /**
   * Stages a change of the collection for commitLogged, writing nothing yet: the records put (each in place of the
   * record with its id, or after the others) and the ids deleted.
   */
  stageChange<K extends RecordKind>(kind: K, change: RecordChange<RecordOf<K>>): Promise<StagedChange>;
  /** Stages versions about to be replaced (as appendHistory does) for commitLogged, writing nothing yet. */
  stageHistory<K extends RecordKind>(kind: K, records: readonly RecordOf<K>[]): Promise<StagedChange>;
  /**
   * Makes staged ops durable with one fdatasync of the folder's log, then writes them in their files; the stages'
   * settle() are called after. The ops of the whole commit go in one call: a commit is durable all or nothing.
   */
  commitLogged(ops: readonly LoggedOp[]): Promise<void>;
  /** A path inside the data folder as ops name it. */
  relative(path: string): string;
}

/** Records put (in place of the same id, or at the end) and ids deleted: one commit's change of one collection. */
export interface RecordChange<T = { id: string }> {
  put: readonly T[];
  delete: readonly string[];
}

/** Changes to files staged for the folder log, and what to remember once they are made. */
export interface StagedChange {
  ops: LoggedOp[];
  settle(): Promise<void>;
}

/** What a collection file looks like on disk: readable, edited by hand (checksum off), corrupt, or absent. */
export interface FileInspection<T> {
  file: string;
  status: 'ok' | 'hand-edited' | 'corrupt' | 'missing';
  /** Why the file is corrupt. */
  reason?: string;
  /** The records, when the file could be read. */
  items: readonly T[];
}

/** Options of a transaction: who writes, and a cancellation signal. */
export interface TransactionOptions {
  context?: SecurityContext;
  signal?: AbortSignal;
}

export { HISTORY_LIMIT } from '../record-store';

/**
 * The storage of a data folder: the only code that touches the file system. Another backend (a database, say)
 * can implement this interface without any change to the services.
 */
export interface IFileService {
  /** The data folder this service stores into. */
  readonly dataDir: string;
  /** Creates the folder layout and clears temp files a killed process left behind. Idempotent. */
  initialize(): Promise<void>;
  /** The collection's current records; served from memory only while the file is unchanged. */
  read<K extends RecordKind>(kind: K): Promise<CollectionSnapshot<RecordOf<K>>>;
  /** Previous versions of a record, oldest first. */
  history<K extends RecordKind>(kind: K, id: string): Promise<RecordOf<K>[]>;
  /** Looks at a collection file as it is on disk, repairing nothing (for verify). */
  inspect<K extends RecordKind>(kind: K): Promise<FileInspection<RecordOf<K>>>;
  /**
   * Runs a read-modify-write under the cross-process write lock, for a context holding the right to write
   * (FORBIDDEN otherwise). An aborted `signal` (checked once the lock is held and before every write) abandons
   * the work with nothing written.
   */
  transaction<T>(work: (tx: FileTransaction) => Promise<T>, options?: TransactionOptions): Promise<T>;
  /**
   * Writes whole again every collection file whose change log holds changes, and removes the log, so the JSON
   * files alone hold the current records (for a clean shutdown, or for readers of the files). Changes no record;
   * says which collections it wrote. Optional: a store without change logs has nothing to compact.
   */
  compact?(): Promise<RecordKind[]>;
  /**
   * Makes durable in their files the changes a write-ahead log holds, and empties it, folding nothing: what a store
   * does before it is let go. Optional: a store without such a log has nothing to do.
   */
  checkpoint?(): Promise<void>;
  /**
   * Refuses (STORAGE_UNAVAILABLE, nothing changed) when the storage has less room than `changes` record changes
   * may take to be made and, should a later one fail, undone: a workflow asks before it starts, so a disk that is
   * nearly full refuses it whole instead of leaving it half made with no room to undo it. Optional: a store that
   * cannot run out of room mid-way (a database's transaction) needs no such check.
   */
  ensureRoom?(changes: number): Promise<void>;
}

/** Injection token for the file service. */
export const IFileService = Symbol.for('agentcfg.IFileService');

export { StorageOptions } from '../storage-options';
