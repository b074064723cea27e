import type { Stats } from 'node:fs';
import { join, resolve } from 'node:path';
import { inject, injectable } from 'inversify';
import { IntegrityError, UnavailableError, ValidationError } from '../../domain/errors/errors';
import type { RecordKind } from '../../domain/record';
import type { RecordOf } from '../../domain/records';
import { ILogger } from '../../logging/logger';
import { guardIo } from '../../storage/io-errors';
import { decodeCollection, encodeCollection, type CollectionSnapshot, type DecodeResult } from '../../storage/collection-file';
import { COLLECTION_SPECS, type CollectionSpec } from '../../storage/collection-specs';
import { RecordTextCache } from '../../storage/record-texts';
import { confine } from '../../storage/confined-path';
import { isTempFileName, linkOrCopy, writeFileDurably } from '../../storage/durable-write';
import { IFileSystem } from '../../storage/file-system';
import { HistoryFile } from '../../storage/history-file';
import { MAX_FILE_BYTES, readStoredFile, readStoredFileUnless } from '../../storage/stored-file';
import type { WriteLock } from '../../storage/write-lock';
import { DataFolderLocks } from './data-folder-locks';
import { type FileInspection, type FileTransaction, HISTORY_LIMIT, type IFileService, StorageOptions, type TransactionOptions } from './file-service';
import { IAccessControl } from '../../security/access-control';

interface FileRead {
  /** Identity of the bytes read: inode, size and mtime, so a rename or in-place edit by anyone is noticed. */
  signature: string;
  decoded: DecodeResult;
}

interface CacheEntry {
  signature: string;
  snapshot: CollectionSnapshot;
}

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

/** Stores each kind as one JSON file under `config/`, replaced atomically with a rotating `.bak`. */
@injectable()
export class JsonFileService implements IFileService {
  readonly dataDir: string;
  private readonly configDir: string;
  private readonly lock: WriteLock;
  private readonly cache = new Map<RecordKind, CacheEntry>();
  /** Each collection's record texts, kept between writes (see RecordTextCache). */
  private readonly texts = new Map<RecordKind, RecordTextCache>();

  constructor(
    @inject(StorageOptions) options: StorageOptions,
    @inject(ILogger) private readonly logger: ILogger,
    @inject(IAccessControl) private readonly access: IAccessControl,
    @inject(IFileSystem) private readonly fs: IFileSystem,
    @inject(DataFolderLocks) locks: DataFolderLocks,
  ) {
    this.dataDir = resolve(options.dataDir);
    this.configDir = join(this.dataDir, 'config');
    this.lock = locks.collections;
  }

  async initialize(): Promise<void> {
    await guardIo('initialize', this.dataDir, async () => {
      await this.fs.mkdir(await confine(this.dataDir, this.configDir), { recursive: true });
      await this.fs.mkdir(await confine(this.dataDir, join(this.dataDir, 'logs')), { recursive: true });
    });
    await this.lock.run(() =>
      guardIo('initialize', this.configDir, async () => {
        for (const name of await this.fs.readdir(await confine(this.dataDir, this.configDir))) {
          if (isTempFileName(name)) await this.fs.rm(join(this.configDir, name), { force: true });
        }
      }),
    );
  }

  async read<K extends RecordKind>(kind: K): Promise<CollectionSnapshot<RecordOf<K>>> {
    const path = this.pathOf(kind);
    const file = await guardIo('read', path, () => this.readUnlessCached(kind));
    if (!file) return EMPTY as CollectionSnapshot<RecordOf<K>>;
    if ('cached' in file) return file.cached as CollectionSnapshot<RecordOf<K>>;
    if (file.decoded.status === 'ok') return this.remember(kind, file.signature, file.decoded.snapshot) as CollectionSnapshot<RecordOf<K>>;
    // Repairs (re-stamping a hand edit, restoring a backup) write, so they happen under the lock.
    return this.locked((tx) => tx.read(kind));
  }

  async transaction<T>(work: (tx: FileTransaction) => Promise<T>, options: TransactionOptions = {}): Promise<T> {
    await this.access.authorize(options.context, 'write', { action: 'file.transaction' });
    return this.locked(work, options.signal);
  }

  private async locked<T>(work: (tx: FileTransaction) => Promise<T>, signal?: AbortSignal): Promise<T> {
    await guardIo('lock', this.configDir, () => this.fs.mkdir(this.configDir, { recursive: true }));
    return this.lock.run(() => {
      throwIfAborted(signal, 'lock');
      return work({
        read: (kind) => guardIo('read', this.pathOf(kind), () => this.readLocked(kind)),
        history: (kind, id) => this.history(kind, id),
        appendHistory: (kind, record) => {
          throwIfAborted(signal, 'write');
          return guardIo('write', this.historyOf(kind).path, () => this.historyOf(kind).file.append(record));
        },
        write: (kind, items) => {
          throwIfAborted(signal, 'write');
          return guardIo('write', this.pathOf(kind), () => this.writeLocked(kind, items));
        },
      });
    });
  }

  async inspect<K extends RecordKind>(kind: K): Promise<FileInspection<RecordOf<K>>> {
    const path = this.pathOf(kind);
    const file = await guardIo('read', path, () => this.readFile(path, COLLECTION_SPECS[kind]));
    if (!file) return { file: path, status: 'missing', items: [] };
    const { decoded } = file;
    if (decoded.status === 'corrupt') return { file: path, status: 'corrupt', reason: decoded.reason, items: [] };
    return { file: path, status: decoded.status, items: decoded.snapshot.items as RecordOf<K>[] };
  }

  async history<K extends RecordKind>(kind: K, id: string): Promise<RecordOf<K>[]> {
    const { path, file } = this.historyOf(kind);
    return guardIo('read', path, () => file.of(id)) as Promise<RecordOf<K>[]>;
  }

  private historyOf(kind: RecordKind): { path: string; file: HistoryFile } {
    const spec = COLLECTION_SPECS[kind];
    const path = join(this.configDir, spec.fileName.replace(/\.json$/, '.history.jsonl'));
    return { path, file: new HistoryFile(path, spec.schema, HISTORY_LIMIT, this.dataDir, this.fs) };
  }

  private pathOf(kind: RecordKind): string {
    return join(this.configDir, COLLECTION_SPECS[kind].fileName);
  }

  private remember(kind: RecordKind, signature: string, snapshot: CollectionSnapshot): CollectionSnapshot {
    this.cache.set(kind, { signature, snapshot });
    return snapshot;
  }

  /**
   * Reads and decodes a file through one descriptor, so the signature matches the bytes; null when absent. The
   * file must stay inside the data folder and within MAX_FILE_BYTES (see readStoredFile).
   */
  private async readFile(path: string, spec: CollectionSpec): Promise<FileRead | null> {
    const file = await readStoredFile(this.fs, this.dataDir, path);
    return file && { signature: signatureOf(file.stat), decoded: decodeCollection(file.text, spec) };
  }

  /** As readFile, but a file whose signature is the cached one is neither read nor decoded: the cache is returned. */
  private async readUnlessCached(kind: RecordKind): Promise<FileRead | { cached: CollectionSnapshot } | null> {
    const cached = this.cache.get(kind);
    const file = await readStoredFileUnless(this.fs, this.dataDir, this.pathOf(kind), (stat) => cached?.signature === signatureOf(stat));
    if (!file) return null;
    if ('unchanged' in file) return { cached: (cached as CacheEntry).snapshot };
    return { signature: signatureOf(file.stat), decoded: decodeCollection(file.text, COLLECTION_SPECS[kind]) };
  }

  private async readLocked<K extends RecordKind>(kind: K): Promise<CollectionSnapshot<RecordOf<K>>> {
    const path = this.pathOf(kind);
    const file = await this.readUnlessCached(kind);
    if (!file) return EMPTY as CollectionSnapshot<RecordOf<K>>;
    if ('cached' in file) return file.cached as CollectionSnapshot<RecordOf<K>>;
    const { decoded } = file;
    switch (decoded.status) {
      case 'ok':
        return this.remember(kind, file.signature, decoded.snapshot) as CollectionSnapshot<RecordOf<K>>;
      case 'hand-edited':
        this.logger.warn({ file: path, revision: decoded.snapshot.revision }, `${path} was edited by hand; accepted and re-stamped`);
        return this.writeLocked(kind, decoded.snapshot.items as RecordOf<K>[], decoded.snapshot.revision);
      case 'corrupt':
        return (await this.restoreFromBackup(kind, decoded.reason)) as CollectionSnapshot<RecordOf<K>>;
    }
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
    const restored = { revision: backup.decoded.snapshot.revision, items: backup.decoded.snapshot.items };
    const snapshot = await this.writeLocked(kind, restored.items as RecordOf<RecordKind>[], restored.revision, false);
    this.logger.error(
      { file: path, reason, movedTo: asidePath, restoredRevision: snapshot.revision },
      `${path} was corrupt (${reason}); moved it to ${asidePath} and restored the backup`,
    );
    return snapshot;
  }

  private async writeLocked<K extends RecordKind>(
    kind: K,
    items: readonly RecordOf<K>[],
    baseRevision?: number,
    rotateBackup = true,
  ): Promise<CollectionSnapshot<RecordOf<K>>> {
    const path = this.pathOf(kind);
    const revision = (baseRevision ?? (await this.readLocked(kind)).revision) + 1;
    const snapshot = { revision, items: [...items] };
    let texts = this.texts.get(kind);
    if (!texts) this.texts.set(kind, (texts = new RecordTextCache()));
    const text = encodeCollection(COLLECTION_SPECS[kind], snapshot, texts);
    // A file we could not read back is worse than a refused write.
    if (Buffer.byteLength(text) > MAX_FILE_BYTES) {
      const message = `the ${kind} collection would be larger than ${MAX_FILE_BYTES} bytes`;
      throw new ValidationError(`${message}; nothing was written`, [{ path: '', message }], { context: { service: 'file', operation: 'write', file: path } });
    }
    const backup = rotateBackup ? await confine(this.dataDir, `${path}.bak`) : undefined;
    await writeFileDurably(this.fs, await confine(this.dataDir, path), text, backup);
    this.remember(kind, signatureOf(await this.fs.stat(path)), snapshot);
    return snapshot;
  }
}
