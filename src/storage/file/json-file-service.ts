import type { Stats } from 'node:fs';
import { join, resolve } from 'node:path';
import { inject, injectable } from 'inversify';
import { IntegrityError, StorageUnavailableError, UnavailableError, ValidationError } from '../../domain/errors/errors';
import { RECORD_KINDS, type RecordKind } from '../../domain/kinds/registry';
import type { RecordOf } from '../../domain/records';
import { ILogger } from '../../logging/logger';
import { changedNothing, ensureWritable, guardIo, toStorageError } from '../io-errors';
import { applyChanges, changeBetween, changeLogPathOf, type ChangeLine } from '../change-log';
import { ChangeLogFile, sameLog, type ChangeLogState } from '../change-log-file';
import { encodeChangeLine } from '../change-log';
import { FolderLog, type LoggedOp } from './folder-log';
import { encodeCollectionWithChecksum, type CollectionSnapshot, type DecodeResult } from '../collection-file';
import { SealedFiles } from '../sealed-files';
import { COLLECTION_SPECS, type CollectionSpec } from '../collection-specs';
import { RecordTextCache } from '../record-texts';
import { confine } from '../confined-path';
import { commitStaged, discardStaged, isTempFileName, linkOrCopy, stageDurably, type StagedFile, writeFileDurably } from '../durable-write';
import { IFileSystem } from '../file-system';
import { HistoryFile } from '../history-file';
import { IdleTask } from '../idle-task';
import { MAX_FILE_BYTES, readStoredFile, readStoredFileUnless } from '../stored-file';
import { DEFAULT_WRITE_LOCK_OPTIONS, WriteLock } from '../write-lock';
import { type FileInspection, type FileTransaction, HISTORY_LIMIT, type IFileService, type RecordChange, type StagedChange, StorageOptions, type TransactionOptions } from './file-service';
import { IAccessControl } from '../../security/access-control';
import { deepFreeze } from '../../domain/deep-freeze';

interface FileRead {
  /** Identity of the bytes read: inode, size and mtime, so a rename or in-place edit by anyone is noticed. */
  signature: string;
  /** The file's size: whether its changes go to its change log (see StorageOptions.appendAboveBytes). */
  bytes: number;
  decoded: DecodeResult;
}

/** What a compaction writes for one collection, and the file and log it was read from (see compact). */
interface CompactionPlan {
  kind: RecordKind;
  snapshot: CollectionSnapshot;
  signature: string;
  logIno: number;
}

interface CacheEntry {
  signature: string;
  bytes: number;
  /** The change log as applied to `snapshot`; null when there was none. */
  log: ChangeLogState | null;
  snapshot: CollectionSnapshot;
}

/** Default for StorageOptions.appendAboveBytes: every change is an append, however small the file. */
export const DEFAULT_APPEND_ABOVE_BYTES = 0;
/** Default for StorageOptions.sealAboveBytes: smaller files decode fast enough in full. */
export const DEFAULT_SEAL_ABOVE_BYTES = 256 * 1024;
/** A change log is folded into its file once it holds this many changes, or this many bytes (see writeLocked). */
const FOLD_AFTER_CHANGES = 64;
const FOLD_AFTER_BYTES = 1024 * 1024;
/**
 * How far past those a log may grow while a compaction folds it in the background; beyond, a write folds it
 * itself (a compaction that cannot keep up, or keeps failing, must not let the log grow without end).
 */
const BACKGROUND_FOLD_SLACK = 4;
/** Room a change's journal, audit and history lines may take, and room kept spare besides (see ensureRoom). */
const LINES_PER_CHANGE_BYTES = 16 * 1024;
const SPARE_BYTES = 64 * 1024;
/** Default for StorageOptions.compactAfterIdleMs. */
export const DEFAULT_COMPACT_AFTER_IDLE_MS = 1000;

/** What a read under the lock must repair before it can answer: writes, so never on the lock-free path. */
type Repair = { status: 'hand-edited' | 'corrupt' | 'stale-log'; file: FileRead | null };

const EMPTY: CollectionSnapshot = { revision: 0, items: [] };

/** A cancelled call must not write: a caller that gave up (a timeout, say) may already be undoing it. */
function throwIfAborted(signal: AbortSignal | undefined, operation: string): void {
  if (signal?.aborted) {
    throw new UnavailableError(`the call was cancelled before the ${operation}; nothing was written`, { context: { service: 'file', operation } });
  }
}

function signatureOf(stat: Stats): string {
  return `${stat.ino}:${stat.size}:${stat.mtimeMs}`;
}

/**
 * Stores each kind as one JSON file under `config/`, replaced atomically with a rotating `.bak`. A file of at least
 * `appendAboveBytes` (every file, unless said) takes its changes as appends to its change log instead, and is
 * written whole again (folding the log in) every FOLD_AFTER_CHANGES changes, when idle and at close: a change then
 * costs a line, not a rewrite of the file.
 */
@injectable()
export class JsonFileService implements IFileService {
  readonly dataDir: string;
  private readonly configDir: string;
  private readonly lock: WriteLock;
  private readonly cache = new Map<RecordKind, CacheEntry>();
  /** Large files decoded without checking every record again, and sealed when written (see SealedFiles). */
  private readonly seals: SealedFiles;
  /** Each collection's record texts, kept between writes (see RecordTextCache). */
  private readonly texts = new Map<RecordKind, RecordTextCache>();
  private readonly histories = new Map<RecordKind, { path: string; file: HistoryFile }>();
  private readonly appendAboveBytes: number;
  /** Compacts once no change has been logged for compactAfterIdleMs. */
  private readonly idleCompaction: IdleTask;
  /** Whether logs are compacted in the background (compactAfterIdleMs finite), and so folded there too. */
  private readonly foldsInBackground: boolean;
  /** The last compaction asked for: the next one starts after it. */
  private compaction: Promise<unknown> = Promise.resolve();
  /** Set while a compaction started by this service (idle, or a log due to be folded) is running. */
  private compactingInBackground = false;
  /** The folder's write-ahead log: what makes a staged commit durable (see FolderLog). */
  private readonly folderLog: FolderLog;
  /** Set once initialize() has run: the folder log was written out after whatever came before this process. */
  private started = false;
  /**
   * While this service holds the folder's lock: the kinds whose cache was checked against the disk (or set from
   * what was written) since the lock was taken. No other process writes collections meanwhile, so they are served
   * without a stat until this process writes (see begin in locked).
   */
  private checkedUnderLock: Set<RecordKind> | null = null;

  constructor(
    @inject(StorageOptions) options: StorageOptions,
    @inject(ILogger) private readonly logger: ILogger,
    @inject(IAccessControl) private readonly access: IAccessControl,
    @inject(IFileSystem) private readonly fs: IFileSystem,
  ) {
    this.dataDir = resolve(options.dataDir);
    this.configDir = join(this.dataDir, 'config');
    this.lock = new WriteLock(
      this.configDir,
      {
        timeoutMs: options.lockTimeoutMs ?? DEFAULT_WRITE_LOCK_OPTIONS.timeoutMs,
        staleMs: options.staleLockMs ?? DEFAULT_WRITE_LOCK_OPTIONS.staleMs,
        confineTo: this.dataDir,
      },
      (error) => this.logger.error({ err: error }, 'the data folder lock was compromised'),
    );
    this.appendAboveBytes = options.appendAboveBytes ?? DEFAULT_APPEND_ABOVE_BYTES;
    this.seals = new SealedFiles(this.fs, this.dataDir, options.sealAboveBytes ?? DEFAULT_SEAL_ABOVE_BYTES, this.logger);
    const compactAfterIdleMs = options.compactAfterIdleMs ?? DEFAULT_COMPACT_AFTER_IDLE_MS;
    this.idleCompaction = new IdleTask(compactAfterIdleMs, () => this.compactInBackground());
    this.foldsInBackground = Number.isFinite(compactAfterIdleMs);
    this.folderLog = new FolderLog(this.fs, this.dataDir, this.logger);
  }

  async initialize(): Promise<void> {
    await guardIo('initialize', this.dataDir, async () => {
      await this.fs.mkdir(await confine(this.dataDir, this.configDir), { recursive: true });
      await this.fs.mkdir(await confine(this.dataDir, join(this.dataDir, 'logs')), { recursive: true });
    });
    // Looked for without the lock, which is taken only when there are some: start-up writes nothing otherwise.
    const leftovers = async () => (await this.fs.readdir(await confine(this.dataDir, this.configDir))).filter(isTempFileName);
    // The folder log is written again only at this process's first start: later, taking the lock catches up.
    const logged = async () => !this.started && (await this.folderLogHolds());
    if ((await guardIo('initialize', this.configDir, leftovers)).length === 0 && !(await logged())) {
      this.started = true;
      return;
    }
    await this.lock.run(() =>
      guardIo('initialize', this.configDir, async () => {
        for (const name of await leftovers()) await this.fs.rm(join(this.configDir, name), { force: true });
        // A power cut may have come after commits were logged and before their files were synced.
        if (!this.started) await this.folderLog.recover();
      }),
    );
    this.started = true;
  }

  async read<K extends RecordKind>(kind: K): Promise<CollectionSnapshot<RecordOf<K>>> {
    const current = await guardIo('read', this.pathOf(kind), () => this.current(kind));
    if ('snapshot' in current) return current.snapshot as CollectionSnapshot<RecordOf<K>>;
    // Repairs (re-stamping a hand edit, restoring a backup, setting aside a log that no longer applies) write,
    // so they happen under the lock.
    return this.locked((tx) => tx.read(kind));
  }

  async transaction<T>(work: (tx: FileTransaction) => Promise<T>, options: TransactionOptions = {}): Promise<T> {
    await this.access.authorize(options.context, 'write', { action: 'file.transaction' });
    return this.locked(work, options.signal);
  }

  private async locked<T>(work: (tx: FileTransaction) => Promise<T>, signal?: AbortSignal): Promise<T> {
    await ensureWritable(this.fs, this.dataDir);
    try {
      await this.fs.mkdir(this.configDir, { recursive: true });
    } catch (error) {
      throw changedNothing(toStorageError(error, 'create', this.configDir));
    }
    return this.lock.run(async () => {
      throwIfAborted(signal, 'lock');
      // What a killed writer logged and did not finish is finished before anything is read under the lock.
      await guardIo('read', this.folderLog.path, () => this.folderLog.catchUp());
      this.checkedUnderLock = new Set();
      // A fault of the environment met before this transaction's first write changed nothing: the error says so.
      let writing = false;
      const begin = () => {
        throwIfAborted(signal, 'write');
        writing = true;
        // A write that fails half-way may leave a file other than the cache says: look again after it.
        this.checkedUnderLock?.clear();
      };
      try {
        return await this.transactionWork(work, begin);
      } catch (error) {
        throw writing ? error : changedNothing(error);
      } finally {
        this.checkedUnderLock = null;
      }
    });
  }

  /** The transaction `work` sees; `begin` is called before each write (see locked). */
  private transactionWork<T>(work: (tx: FileTransaction) => Promise<T>, begin: () => void): Promise<T> {
    return work({
      read: (kind) => guardIo('read', this.pathOf(kind), () => this.readLocked(kind)),
      history: (kind, id) => this.history(kind, id),
      appendHistory: (kind, record) => {
        begin();
        return guardIo('write', this.historyOf(kind).path, async () => {
          await this.checkpointBeforeDirectWrite();
          await this.historyOf(kind).file.append(record);
        });
      },
      write: (kind, items) => {
        begin();
        return guardIo('write', this.pathOf(kind), async () => {
          await this.checkpointBeforeDirectWrite();
          return this.writeLocked(kind, items);
        });
      },
      stageChange: (kind, change) => guardIo('write', this.pathOf(kind), () => this.stageChangeLocked(kind, change)),
      stageHistory: (kind, records) => guardIo('write', this.historyOf(kind).path, () => this.historyOf(kind).file.stage(records, (path) => this.folderLog.relative(path))),
      commitLogged: (ops) => {
        begin();
        return guardIo('write', this.folderLog.path, () => this.folderLog.commit(ops));
      },
      relative: (path) => this.folderLog.relative(path),
    });
  }

  /**
   * A write made directly (durably, in place) must not be overtaken by a logged one written again later: the folder
   * log is checkpointed (emptied) first.
   */
  private async checkpointBeforeDirectWrite(): Promise<void> {
    if (this.folderLog.holdsEntries) await this.folderLog.checkpoint();
  }

  /**
   * Stages a transaction's change of a collection as ops for the folder log (see writeLocked for which: a line
   * appended to its change log, else the whole file), and what to remember once they are made. The change is the
   * line itself: nothing is compared record by record, however large the collection.
   */
  private async stageChangeLocked<K extends RecordKind>(kind: K, change: RecordChange<RecordOf<K>>): Promise<StagedChange> {
    const before = await this.readLocked(kind);
    const line: ChangeLine = { revision: before.revision + 1, put: change.put.map(deepFreeze), delete: [...change.delete] };
    const snapshot = applyChanges(before, [line]) as CollectionSnapshot;
    const cached = this.cache.get(kind);
    const log = cached?.log ?? null;
    const due = log !== null && (log.lines >= FOLD_AFTER_CHANGES || log.size >= FOLD_AFTER_BYTES);
    const slack = this.foldsInBackground ? BACKGROUND_FOLD_SLACK : 1;
    const overdue = log !== null && (log.lines >= FOLD_AFTER_CHANGES * slack || log.size >= FOLD_AFTER_BYTES * slack);
    const appending = cached !== undefined && cached.bytes >= this.appendAboveBytes && !overdue;
    const logFile = this.logOf(kind);
    if (cached && appending && line.put.length + line.delete.length <= FOLD_AFTER_CHANGES) {
      const at = log?.goodBytes ?? 0;
      const ops: LoggedOp[] = [{ append: this.folderLog.relative(logFile.path), at, text: encodeChangeLine(line) }];
      return {
        ops,
        settle: async () => {
          const stat = await this.fs.stat(logFile.path);
          const state = { ino: stat.ino, size: stat.size, goodBytes: stat.size, lines: (log?.lines ?? 0) + 1 };
          this.remember(kind, { ...cached, log: state, snapshot });
          this.idleCompaction.restart();
          if (due) this.compactInBackground();
        },
      };
    }
    const { text, checksum } = this.encodeWhole(kind, snapshot);
    const ops: LoggedOp[] = [{ put: this.folderLog.relative(this.pathOf(kind)), text, revision: snapshot.revision, backup: true }];
    if (log || (await logFile.identity())) ops.push({ remove: this.folderLog.relative(logFile.path) });
    return {
      ops,
      settle: () => this.settleWritten(kind, snapshot, checksum, { log: null, snapshot }),
    };
  }

  async compact(): Promise<RecordKind[]> {
    this.idleCompaction.cancel();
    // One at a time: a compaction asked for while another runs starts when that one is done.
    const run = this.compaction.then(() => this.compactNow());
    this.compaction = run.catch(() => undefined);
    return run;
  }

  /**
   * Syncs the changes the folder log holds in their files and empties it (see FolderLog.checkpoint), folding no
   * change log: what a log grown past its bound does by itself.
   */
  async checkpoint(): Promise<void> {
    // An empty log needs nothing, nor the lock (a folder on read-only media is left alone).
    if (!(await this.folderLogHolds())) return;
    await this.locked(() => guardIo('write', this.folderLog.path, () => this.folderLog.checkpoint()));
  }

  private async folderLogHolds(): Promise<boolean> {
    return guardIo('read', this.folderLog.path, async () => ((await this.fs.statIfExists(await confine(this.dataDir, this.folderLog.path)))?.size ?? 0) > 0);
  }

  /** Starts a compaction unless this service has one under way; a failure is only logged. */
  private compactInBackground(): void {
    if (this.compactingInBackground) return;
    this.compactingInBackground = true;
    this.compact()
      // The changes are durable in the log already: a failed compaction only leaves the file behind it.
      // Logged, not warned: the next compaction (or compact(), whose caller reports it) tries again.
      .catch((error: unknown) => this.logger.info({ err: error, dataDir: this.dataDir }, 'could not compact the change logs; they still hold every change'))
      .finally(() => {
        this.compactingInBackground = false;
      });
  }

  /**
   * Writes each logged collection whole at the revision of its last logged change (changing no record) and cuts
   * those changes from its log. The lock is held only to look and to put the files in place: encoding, writing
   * and syncing the files, the part that grows with the collection, happens between, while writers go on
   * appending. What they append meanwhile stays in the log, after the revision the file now holds.
   */
  private async compactNow(): Promise<RecordKind[]> {
    // The folder log's changes synced in their files first (and the log emptied), so the files alone hold them.
    await this.checkpoint();
    // Without a log on disk there is nothing to fold, and no lock to take (nor a folder to create, if it is gone).
    const logged: RecordKind[] = [];
    for (const kind of RECORD_KINDS) {
      const log = this.logOf(kind);
      if (await guardIo('read', log.path, () => log.identity())) logged.push(kind);
    }
    if (logged.length === 0) return [];
    const plans = await this.locked(async (tx) => {
      const found: CompactionPlan[] = [];
      for (const kind of logged) {
        const snapshot = await tx.read(kind);
        const entry = this.cache.get(kind);
        // Another process may have folded it meanwhile, or a repair set it aside.
        if (entry?.log) found.push({ kind, snapshot, signature: entry.signature, logIno: entry.log.ino });
      }
      return found;
    });
    const staged: { plan: CompactionPlan; checksum: string; file: StagedFile }[] = [];
    try {
      for (const plan of plans) {
        const path = this.pathOf(plan.kind);
        await this.textsOf(plan.kind).warm(plan.snapshot.items);
        const { text, checksum } = this.encodeWhole(plan.kind, plan.snapshot);
        staged.push({ plan, checksum, file: await guardIo('write', path, async () => stageDurably(this.fs, await confine(this.dataDir, path), text)) });
      }
      const compacted = await this.locked(async (tx) => {
        await guardIo('write', this.folderLog.path, () => this.checkpointBeforeDirectWrite());
        const done: RecordKind[] = [];
        for (const { plan, checksum, file } of staged) {
          const current = await tx.read(plan.kind);
          const entry = this.cache.get(plan.kind);
          // Written whole, repaired or folded by someone else meanwhile: what was staged is not the file to keep.
          if (entry?.signature !== plan.signature || entry.log?.ino !== plan.logIno) continue;
          const path = this.pathOf(plan.kind);
          await guardIo('write', path, async () => {
            await commitStaged(this.fs, file, await confine(this.dataDir, `${path}.bak`));
            const rest = await this.logOf(plan.kind).keepAfter(plan.snapshot.revision);
            await this.settleWritten(plan.kind, plan.snapshot, checksum, { log: rest, snapshot: current });
          });
          done.push(plan.kind);
        }
        return done;
      });
      if (compacted.length > 0) this.logger.info({ dataDir: this.dataDir, compacted }, 'compacted the change logs into their files');
      return compacted;
    } finally {
      for (const { file } of staged) await discardStaged(this.fs, file);
    }
  }

  async ensureRoom(changes: number): Promise<void> {
    // A change writes at most a collection file (its change log instead once the file is large) plus lines of
    // journal, audit and history; its undo the same again. Measured against the largest file there is now.
    // The sizes as last read or written serve: this is an estimate, made before the lock is taken.
    let largest = 0;
    for (const kind of RECORD_KINDS) {
      if (largest >= this.appendAboveBytes) break;
      largest = Math.max(largest, this.cache.get(kind)?.bytes ?? (await this.fs.statIfExists(this.pathOf(kind)))?.size ?? 0);
    }
    const need = 2 * changes * (Math.min(largest, this.appendAboveBytes) + LINES_PER_CHANGE_BYTES) + SPARE_BYTES;
    let free: number;
    try {
      free = await this.fs.freeBytes(this.dataDir);
    } catch {
      return; // no answer (a folder not made yet): the writes themselves report a full disk
    }
    if (free >= need) return;
    const kib = (bytes: number) => `${Math.floor(bytes / 1024)} KiB`;
    throw new StorageUnavailableError(
      `cannot start the workflow in ${this.dataDir}: the disk is nearly full (${kib(free)} free; ${changes} changes need up to ${kib(need)} to be made and, if one fails, undone) (ENOSPC); nothing was changed; free some space and try again`,
      { context: { service: 'file', operation: 'ensureRoom', file: this.dataDir, errno: 'ENOSPC', changed: false, free, need } },
    );
  }

  async inspect<K extends RecordKind>(kind: K): Promise<FileInspection<RecordOf<K>>> {
    const path = this.pathOf(kind);
    // The log before the file, as in current().
    const changeLog = this.logOf(kind);
    let log;
    try {
      log = await guardIo('read', changeLog.path, () => changeLog.read());
    } catch (error) {
      if (!(error instanceof IntegrityError)) throw error;
      return { file: changeLog.path, status: 'corrupt', reason: error.message, items: [] };
    }
    // verify checks every record, whatever the seal says.
    const file = await guardIo('read', path, () => this.readFile(path, COLLECTION_SPECS[kind], false));
    if (!file && !log) return { file: path, status: 'missing', items: [] };
    if (file?.decoded.status === 'corrupt') return { file: path, status: 'corrupt', reason: file.decoded.reason, items: [] };
    const base = file?.decoded.snapshot ?? EMPTY;
    const current = log ? (applyChanges(base, log.lines) ?? base) : base;
    return { file: path, status: file?.decoded.status ?? 'ok', items: current.items as RecordOf<K>[] };
  }

  async history<K extends RecordKind>(kind: K, id: string): Promise<RecordOf<K>[]> {
    const { path, file } = this.historyOf(kind);
    return guardIo('read', path, () => file.of(id)) as Promise<RecordOf<K>[]>;
  }

  /** Each collection's history file, one per service so the file can stay open between appends. */
  private historyOf(kind: RecordKind): { path: string; file: HistoryFile } {
    let history = this.histories.get(kind);
    if (!history) {
      const spec = COLLECTION_SPECS[kind];
      const path = join(this.configDir, spec.fileName.replace(/\.json$/, '.history.jsonl'));
      this.histories.set(kind, (history = { path, file: new HistoryFile(path, spec.schema, HISTORY_LIMIT, this.dataDir, this.fs) }));
    }
    return history;
  }

  private pathOf(kind: RecordKind): string {
    return join(this.configDir, COLLECTION_SPECS[kind].fileName);
  }

  private logOf(kind: RecordKind): ChangeLogFile {
    return new ChangeLogFile(this.fs, this.dataDir, changeLogPathOf(this.pathOf(kind)), COLLECTION_SPECS[kind]);
  }

  private remember(kind: RecordKind, entry: CacheEntry): CollectionSnapshot {
    this.cache.set(kind, entry);
    this.checkedUnderLock?.add(kind);
    return entry.snapshot;
  }

  /**
   * The collection as it is on disk now: the file and, when it has one, its change log applied. Serves the cache
   * while neither changed (a stat of each); when only the log grew (another process appended), applies just the
   * lines it does not have. Says what needs repairing when the answer would take a write.
   *
   * The log is always read before the file. A fold or compaction in another process replaces the file and then
   * removes the log, so a file read first could be paired with no log and lose the logged changes; read after the
   * log, the file can only hold more than the log does, and the lines it already holds are skipped.
   */
  private async current(kind: RecordKind): Promise<{ snapshot: CollectionSnapshot } | Repair> {
    const log = this.logOf(kind);
    const cached = this.cache.get(kind);
    if (cached && this.checkedUnderLock?.has(kind)) return { snapshot: cached.snapshot };
    if (cached && sameLog(cached.log, await log.identity()) && (await this.unchangedSince(kind, cached))) {
      this.checkedUnderLock?.add(kind);
      return { snapshot: cached.snapshot };
    }
    const read = await log.read();
    const file = await this.readUnlessCached(kind);
    if (file && 'cached' in file && cached && read) {
      const caughtUp = applyChanges(cached.snapshot, read.lines);
      if (caughtUp) return { snapshot: this.remember(kind, { ...cached, log: read.state, snapshot: caughtUp }) };
    }
    const whole = file && 'cached' in file ? await this.readFile(this.pathOf(kind), COLLECTION_SPECS[kind]) : file;
    if (whole && whole.decoded.status !== 'ok') return { status: whole.decoded.status, file: whole };
    const base = whole?.decoded.status === 'ok' ? whole.decoded.snapshot : EMPTY;
    const snapshot = read ? applyChanges(base, read.lines) : base;
    if (!snapshot) return { status: 'stale-log', file: whole };
    if (!whole && !read) return { snapshot: EMPTY };
    return { snapshot: this.remember(kind, { signature: whole?.signature ?? '', bytes: whole?.bytes ?? 0, log: read?.state ?? null, snapshot }) };
  }

  /** Whether the collection file is still the one cached: a stat, nothing read. */
  private async unchangedSince(kind: RecordKind, cached: CacheEntry): Promise<boolean> {
    const stat = await this.fs.statIfExists(this.pathOf(kind));
    return stat !== null && signatureOf(stat) === cached.signature;
  }

  /**
   * Reads and decodes a file through one descriptor, so the signature matches the bytes; null when absent. The
   * file must stay inside the data folder and within MAX_FILE_BYTES (see readStoredFile).
   */
  private async readFile(path: string, spec: CollectionSpec, trustSeal = true): Promise<FileRead | null> {
    const file = await readStoredFile(this.fs, this.dataDir, path);
    return file && { signature: signatureOf(file.stat), bytes: file.stat.size, decoded: await this.seals.decode(path, file, spec, trustSeal) };
  }

  /** As readFile, but a file whose signature is the cached one is neither read nor decoded: the cache is returned. */
  private async readUnlessCached(kind: RecordKind): Promise<FileRead | { cached: CollectionSnapshot } | null> {
    const cached = this.cache.get(kind);
    const file = await readStoredFileUnless(this.fs, this.dataDir, this.pathOf(kind), (stat) => cached?.signature === signatureOf(stat));
    if (!file) return null;
    if ('unchanged' in file) return { cached: (cached as CacheEntry).snapshot };
    return { signature: signatureOf(file.stat), bytes: file.stat.size, decoded: await this.seals.decode(this.pathOf(kind), file, COLLECTION_SPECS[kind], true) };
  }

  private async readLocked<K extends RecordKind>(kind: K): Promise<CollectionSnapshot<RecordOf<K>>> {
    const path = this.pathOf(kind);
    const current = await this.current(kind);
    if ('snapshot' in current) return current.snapshot as CollectionSnapshot<RecordOf<K>>;
    const decoded = current.file?.decoded;
    this.checkedUnderLock?.clear();
    await this.checkpointBeforeDirectWrite();
    switch (current.status) {
      case 'hand-edited': {
        const edited = (decoded as { snapshot: CollectionSnapshot }).snapshot;
        // Changes acknowledged after the file was last written whole still hold: they go on top of the edit.
        const read = await this.logOf(kind).read();
        const withChanges = read ? applyChanges(edited, read.lines) : edited;
        if (read && !withChanges) await this.setLogAside(kind, 'it does not continue the edited file');
        const snapshot = withChanges ?? edited;
        this.logger.warn({ file: path, revision: snapshot.revision }, `${path} was edited by hand; accepted and re-stamped`);
        return this.writeWhole(kind, snapshot.items as RecordOf<K>[], snapshot.revision, true);
      }
      case 'corrupt':
        return (await this.restoreFromBackup(kind, (decoded as { reason: string }).reason)) as CollectionSnapshot<RecordOf<K>>;
      case 'stale-log': {
        await this.setLogAside(kind, 'its changes do not continue the file (the file was replaced by an older one)');
        return (await this.readLocked(kind)) as CollectionSnapshot<RecordOf<K>>;
      }
    }
  }

  /** Moves a change log that no longer applies aside (kept as evidence), logging why. */
  private async setLogAside(kind: RecordKind, why: string): Promise<void> {
    const log = this.logOf(kind);
    const aside = await log.moveAside('set-aside');
    this.logger.error({ file: log.path, movedTo: aside }, `${log.path}: ${why}; moved it to ${aside}`);
  }

  /** Moves a corrupt file aside and puts its backup in its place; refuses (changing nothing) if the backup is bad too. */
  private async restoreFromBackup(kind: RecordKind, reason: string): Promise<CollectionSnapshot> {
    const path = this.pathOf(kind);
    const backupPath = `${path}.bak`;
    const backup = await this.readFile(backupPath, COLLECTION_SPECS[kind]);
    if (!backup || backup.decoded.status === 'corrupt') {
      const why = backup?.decoded.status === 'corrupt' ? `its backup is corrupt too (${backup.decoded.reason})` : 'it has no backup';
      const error = new IntegrityError(`${path} is corrupt (${reason}) and ${why}; no file was changed`, {
        context: { service: 'file', operation: 'load', file: path },
      });
      this.logger.error({ file: path, reason, backup: backupPath }, error.message);
      throw error;
    }
    const asidePath = `${path}.corrupt-${new Date().toISOString().replace(/[:.]/g, '-')}`;
    // Keep the corrupt bytes aside first, then replace the file atomically, so the file never goes missing.
    await linkOrCopy(this.fs, path, await confine(this.dataDir, asidePath));
    // Changes logged after the corrupt file was written continue it, not the backup.
    if (await this.logOf(kind).identity()) await this.setLogAside(kind, 'the file its changes continue was corrupt and its backup is restored');
    const restored = { revision: backup.decoded.snapshot.revision, items: backup.decoded.snapshot.items };
    const snapshot = await this.writeWhole(kind, restored.items as RecordOf<RecordKind>[], restored.revision, false);
    this.logger.error(
      { file: path, reason, movedTo: asidePath, restoredRevision: snapshot.revision },
      `${path} was corrupt (${reason}); moved it to ${asidePath} and restored the backup`,
    );
    return snapshot;
  }

  /**
   * A transaction's write: an append to the change log when the file is large (and the change expressible as one),
   * else the whole file. A log due to be folded (FOLD_AFTER_CHANGES, FOLD_AFTER_BYTES) is folded by a compaction in
   * the background, the write still appending, unless compaction in the background is off or has fallen far
   * behind: then this write folds it, writing the whole file.
   */
  private async writeLocked<K extends RecordKind>(kind: K, items: readonly RecordOf<K>[]): Promise<CollectionSnapshot<RecordOf<K>>> {
    const before = await this.readLocked(kind);
    const snapshot = { revision: before.revision + 1, items: [...items] };
    const cached = this.cache.get(kind);
    const log = cached?.log ?? null;
    const slack = this.foldsInBackground ? BACKGROUND_FOLD_SLACK : 1;
    const due = log !== null && (log.lines >= FOLD_AFTER_CHANGES || log.size >= FOLD_AFTER_BYTES);
    const overdue = log !== null && (log.lines >= FOLD_AFTER_CHANGES * slack || log.size >= FOLD_AFTER_BYTES * slack);
    const appending = cached !== undefined && cached.bytes >= this.appendAboveBytes && !overdue;
    const line = appending ? changeBetween(before, snapshot) : null;
    // A change that touches many records (a propagation rewriting them all, say) is cheaper as the whole file.
    if (!cached || !line || line.put.length + line.delete.length > FOLD_AFTER_CHANGES) return this.writeWhole(kind, items, before.revision, true);
    const appended = await this.append(kind, cached, line);
    if (due) this.compactInBackground();
    return appended as CollectionSnapshot<RecordOf<K>>;
  }

  private async append(kind: RecordKind, cached: CacheEntry, line: ChangeLine): Promise<CollectionSnapshot> {
    const frozen = { ...line, put: line.put.map(deepFreeze) };
    const state = await this.logOf(kind).append(frozen, cached.log);
    const snapshot = applyChanges(cached.snapshot, [frozen]) as CollectionSnapshot;
    this.idleCompaction.restart();
    return this.remember(kind, { ...cached, log: state, snapshot });
  }

  private textsOf(kind: RecordKind): RecordTextCache {
    let texts = this.texts.get(kind);
    if (!texts) this.texts.set(kind, (texts = new RecordTextCache()));
    return texts;
  }

  /** The file's text and checksum for `snapshot`; refused (VALIDATION) when it would be too large to read back. */
  private encodeWhole(kind: RecordKind, snapshot: CollectionSnapshot): { text: string; checksum: string } {
    const encoded = encodeCollectionWithChecksum(COLLECTION_SPECS[kind], snapshot, this.textsOf(kind));
    // A file we could not read back is worse than a refused write.
    if (Buffer.byteLength(encoded.text) > MAX_FILE_BYTES) {
      const message = `the ${kind} collection would be larger than ${MAX_FILE_BYTES} bytes`;
      throw new ValidationError(`${message}; nothing was written`, [{ path: '', message }], { context: { service: 'file', operation: 'write', file: this.pathOf(kind) } });
    }
    return encoded;
  }

  /** Replaces the whole file durably at `baseRevision` + 1, then drops the change log it now holds. */
  private async writeWhole<K extends RecordKind>(kind: K, items: readonly RecordOf<K>[], baseRevision: number, rotateBackup: boolean): Promise<CollectionSnapshot<RecordOf<K>>> {
    const path = this.pathOf(kind);
    const snapshot = { revision: baseRevision + 1, items: [...items] };
    const { text, checksum } = this.encodeWhole(kind, snapshot);
    const backup = rotateBackup ? await confine(this.dataDir, `${path}.bak`) : undefined;
    await writeFileDurably(this.fs, await confine(this.dataDir, path), text, backup);
    const log = this.logOf(kind);
    if (this.cache.get(kind)?.log || (await log.identity())) await log.remove();
    await this.settleWritten(kind, snapshot, checksum, { log: null, snapshot });
    return snapshot;
  }

  /**
   * After `written` was put in place whole: seals the file (see SealedFiles) and caches it with what is current,
   * which is more than the file holds when a log goes on past it.
   */
  private async settleWritten(kind: RecordKind, written: CollectionSnapshot, checksum: string, current: { log: ChangeLogState | null; snapshot: CollectionSnapshot }): Promise<void> {
    const path = this.pathOf(kind);
    const stat = await this.fs.stat(path);
    await this.seals.sealWritten(path, stat, checksum, COLLECTION_SPECS[kind], written.items);
    this.remember(kind, { signature: signatureOf(stat), bytes: stat.size, ...current });
  }
}
