import { crc32 } from 'node:zlib';
import { dirname, join, relative } from 'node:path';
import type { ILogger } from '../../logging/logger';
import { appendWhole } from '../append-whole';
import { confine } from '../confined-path';
import type { IFileSystem } from '../file-system';
import { readStoredFile } from '../stored-file';
import { changedNothing, toStorageError } from '../io-errors';
import { ignoreMissing, pathOf, prepareOps, redoEntries, type LogEntry, type LoggedOp, type PreparedOps } from './logged-ops';

export type { LoggedOp } from './logged-ops';

/** The folder log is written out (its changes synced in their files, then the log emptied) past this size. */
const CHECKPOINT_BYTES = 8 * 1024 * 1024;

/**
 * An entry's line: `{"seq":n,"sum":"…","ops":[…]}`, its ops serialised once and checked by a CRC-32 of the number and
 * that text (a checksum against torn and damaged lines, not a signature: the audit trail's hashes are that).
 */
function lineOf(seq: number, ops: readonly LoggedOp[]): string {
  const body = JSON.stringify(ops);
  return `{"seq":${seq},"sum":"${sumOf(seq, body)}","ops":${body}}\n`;
}

function sumOf(seq: number, body: string): string {
  return crc32(`${seq}:${body}`).toString(16).padStart(8, '0');
}

const OPS_KEY = ',"ops":';

/**
 * The data folder's write-ahead log, `config/commits.log`: every commit's changes to every file (records, history,
 * audit trail, journal) as one checksummed line, made durable by one fdatasync before any of those files is
 * touched. The files are then written without syncing: they are what every reader reads, and the log is what makes
 * them durable. A power cut or a killed process can leave them behind the log, never ahead of it; whoever opens
 * the folder next, or takes its lock next, writes again what the log holds and they lack (see redo). A checkpoint
 * syncs the files the log names and empties it: when it grows past CHECKPOINT_BYTES, at compaction and at exit.
 *
 * After its changes are written each entry is followed by a marker line, `{"applied":seq}`, not synced: a process
 * that takes the lock after a writer was killed part way through its changes finds the entry without its marker and
 * writes them. A power cut may lose a marker or keep it without the changes, so opening the folder writes again
 * everything the log holds, whatever the markers say.
 *
 * Hand-written: this is the store's own durability logic (what is synced when), not plumbing a library offers.
 * Callers hold the data folder's write lock for every method.
 */
export class FolderLog {
  readonly path: string;
  /** Size of the log as this process last left or read it: a different size means another process wrote to it. */
  private knownSize = 0;
  private knownIno = -1;
  private seq = 0;
  /**
   * The files (and folders) the log's entries changed, as far as this process has read or written the log: all of
   * it once `verified`, when every entry was also checked against its files (at start, or by a checkpoint).
   */
  private readonly touched = { files: new Set<string>(), folders: new Set<string>() };
  private verified = false;

  constructor(
    private readonly fs: IFileSystem,
    private readonly dataDir: string,
    private readonly logger: ILogger,
  ) {
    this.path = join(dataDir, 'config', 'commits.log');
  }

  /** Whether the log holds entries (as of the last look under the lock). */
  get holdsEntries(): boolean {
    return this.knownSize > 0;
  }

  /**
   * Stores `ops` as one entry (one write, one fdatasync), then makes them in their files without syncing and marks
   * the entry applied. A failure stores nothing: what was made is undone and the entry cut off the log again (the
   * error says nothing changed); only when that fails too does the entry stay, for the next holder of the lock to
   * finish.
   */
  async commit(ops: readonly LoggedOp[]): Promise<void> {
    if (ops.length === 0) return;
    // No catchUp here: the caller did when it took the lock, and nobody else has written to the log since.
    // The new files' bytes first, under temp names: a full disk is met here, before anything is committed.
    const prepared = await prepareOps(this.fs, this.dataDir, ops);
    const seq = this.seq + 1;
    const line = lineOf(seq, ops);
    const path = await confine(this.dataDir, this.path);
    const sizeBefore = this.knownSize;
    try {
      const handle = await this.fs.open(path, 'a', 0o644);
      try {
        await appendWhole(handle, line, sizeBefore, () => handle.datasync());
        const { ino, size } = await handle.stat();
        this.knownIno = ino;
        this.knownSize = size;
      } finally {
        await handle.close();
      }
      // A log made by this commit has its name made durable, so a power cut cannot lose the entry with it.
      if (sizeBefore === 0) await this.fs.syncFolder(dirname(this.path));
    } catch (error) {
      await prepared.discard();
      // Written but not made durable (its folder's sync failed, say): cut off again, or it would be made later.
      const cut = await this.cutBack(sizeBefore);
      throw cut ? changedNothing(toStorageError(error, 'write', this.path)) : toStorageError(error, 'write', this.path);
    }
    this.seq = seq;
    try {
      await prepared.apply();
    } catch (error) {
      // Undone, and the entry taken off the log again: the commit changed nothing. Otherwise the entry stays, and
      // the next holder of the lock finishes it.
      if (!(await this.undo(prepared, sizeBefore))) throw error;
      throw changedNothing(toStorageError(error, 'write', this.path));
    }
    this.note(ops);
    await this.markApplied(seq);
    if (this.knownSize > CHECKPOINT_BYTES) await this.checkpoint();
  }

  /** Undoes a commit whose changes could not all be made, and cuts its entry off the log; whether that worked. */
  private async undo(prepared: PreparedOps, sizeBefore: number): Promise<boolean> {
    try {
      await prepared.undo();
    } catch {
      return false;
    }
    if (!(await this.cutBack(sizeBefore))) return false;
    this.seq--;
    return true;
  }

  /** Cuts the log back to `size` bytes, durably; whether that worked. */
  private async cutBack(size: number): Promise<boolean> {
    try {
      const path = await confine(this.dataDir, this.path);
      if (!(await this.fs.statIfExists(path))) return size === 0;
      const handle = await this.fs.open(path, 'r+');
      try {
        await handle.truncate(size);
        await handle.datasync();
        this.knownIno = (await handle.stat()).ino;
        this.knownSize = size;
      } finally {
        await handle.close();
      }
      return true;
    } catch {
      return false;
    }
  }

  /**
   * Finishes what another process left: entries on the log without their applied marker are written again. A stat
   * when nobody else wrote to the log since this process last looked.
   */
  async catchUp(): Promise<void> {
    const stat = await this.fs.statIfExists(await confine(this.dataDir, this.path));
    if ((stat?.size ?? 0) === this.knownSize && (stat === null || stat.ino === this.knownIno)) return;
    // Only what was appended since, when the log is the one this process last saw and has grown.
    await this.redo(false, stat !== null && stat.ino === this.knownIno && stat.size > this.knownSize ? this.knownSize : 0);
  }

  /**
   * After a start (a power cut may have come before): writes again every entry the log holds, skipping what its
   * files already hold, then checkpoints.
   */
  async recover(): Promise<void> {
    const stat = await this.fs.statIfExists(await confine(this.dataDir, this.path));
    if (!stat || stat.size === 0) return;
    const redone = await this.redo(true);
    if (redone > 0) this.logger.warn({ file: this.path, entries: redone }, `${this.path}: wrote again the changes of ${redone} commits its files did not hold`);
    await this.checkpointRedone();
  }

  /**
   * Syncs every file the log names (and the folders of those it made, replaced or removed), then empties the log:
   * its changes are now as durable as it made them.
   */
  async checkpoint(): Promise<void> {
    // In a process that has not checked the log against its files yet (one that opened the folder without starting
    // it), every entry is written again where its files lack it, whatever the markers say (a power cut may have
    // kept one and lost the changes it marks), before the log that holds it is emptied.
    if (!this.verified) await this.redo(true);
    else await this.catchUp();
    await this.checkpointRedone();
  }

  /** Notes the files `ops` changed, for the next checkpoint to sync. */
  private note(ops: readonly LoggedOp[]): void {
    for (const op of ops) {
      const path = join(this.dataDir, pathOf(op));
      if ('remove' in op) {
        this.touched.files.delete(path);
      } else {
        this.touched.files.add(path);
        if ('put' in op && op.backup) this.touched.files.add(`${path}.bak`);
      }
      if (!('append' in op) || op.at === 0) this.touched.folders.add(dirname(path));
    }
  }

  /** The checkpoint once every entry is in its files (and noted). */
  private async checkpointRedone(): Promise<void> {
    for (const path of this.touched.files) await this.syncFile(path);
    for (const folder of this.touched.folders) await this.fs.syncFolder(folder).catch(ignoreMissing);
    this.touched.files.clear();
    this.touched.folders.clear();
    const path = await confine(this.dataDir, this.path);
    if (!(await this.fs.statIfExists(path))) return this.forget();
    const handle = await this.fs.open(path, 'r+');
    try {
      await handle.truncate(0);
      await handle.datasync();
      this.knownIno = (await handle.stat()).ino;
      this.knownSize = 0;
    } finally {
      await handle.close();
    }
  }

  /** Writes again the entries the log holds (all, or those without their applied marker); returns how many. */
  private async redo(all: boolean, from = 0): Promise<number> {
    const { entries, applied, ino, size, goodBytes } = await this.read(from);
    // Read from the start: what the log holds is all there is to note (another process may have checkpointed).
    if (from === 0) {
      this.touched.files.clear();
      this.touched.folders.clear();
    }
    for (const entry of entries) this.note(entry.ops);
    if (all) this.verified = true;
    const pending = entries.filter((entry) => all || !applied.has(entry.seq));
    let redone = 0;
    const changedSince = (path: string) => this.logger.warn({ file: path, log: this.path }, `${path} was changed since ${this.path} wrote to it; left as it is`);
    if (pending.length > 0 && (await redoEntries(this.fs, this.dataDir, pending, changedSince))) redone = pending.length;
    this.seq = Math.max(from > 0 ? this.seq : 0, entries.at(-1)?.seq ?? 0);
    this.knownIno = ino;
    this.knownSize = size;
    // A torn last line (a write cut short) is cut off, so the next entry starts on a line of its own.
    if (goodBytes < size) {
      await this.fs.truncate(await confine(this.dataDir, this.path), goodBytes);
      this.knownSize = goodBytes;
    }
    for (const entry of pending) if (!applied.has(entry.seq)) await this.markApplied(entry.seq);
    return redone;
  }

  private async markApplied(seq: number): Promise<void> {
    const path = await confine(this.dataDir, this.path);
    const handle = await this.fs.open(path, 'a', 0o644);
    try {
      await handle.write(`${JSON.stringify({ applied: seq })}\n`);
      const { ino, size } = await handle.stat();
      this.knownIno = ino;
      this.knownSize = size;
    } finally {
      await handle.close();
    }
  }

  /**
   * The log's whole entries from byte `from` on (a line whose checksum fails ends them: a write cut short), and the
   * applied markers.
   */
  private async read(from = 0): Promise<{ entries: LogEntry[]; applied: Set<number>; ino: number; size: number; goodBytes: number }> {
    const file = await this.readFrom(from);
    if (!file) return { entries: [], applied: new Set(), ino: -1, size: 0, goodBytes: 0 };
    const entries: LogEntry[] = [];
    const applied = new Set<number>();
    let goodBytes = from;
    for (const line of file.text.split('\n').slice(0, -1)) {
      const parsed = parseLine(line);
      if (!parsed) break;
      if ('applied' in parsed) applied.add(parsed.applied);
      else entries.push(parsed);
      goodBytes += Buffer.byteLength(line) + 1;
    }
    return { entries, applied, ino: file.stat.ino, size: file.stat.size, goodBytes };
  }

  /** The log's text from byte `from` to its end (all of it, with its size limit, from 0); null when there is none. */
  private async readFrom(from: number): Promise<{ text: string; stat: { ino: number; size: number } } | null> {
    if (from === 0) return readStoredFile(this.fs, this.dataDir, this.path);
    const handle = await this.fs.open(await confine(this.dataDir, this.path), 'r');
    try {
      const stat = await handle.stat();
      const buffer = Buffer.alloc(Math.max(0, stat.size - from));
      let read = 0;
      while (read < buffer.length) {
        const { bytesRead } = await handle.read(buffer, read, buffer.length - read, from + read);
        if (bytesRead === 0) break;
        read += bytesRead;
      }
      return { text: buffer.subarray(0, read).toString('utf8'), stat: { ino: stat.ino, size: from + read } };
    } finally {
      await handle.close();
    }
  }

  private async syncFile(path: string): Promise<void> {
    let handle;
    try {
      handle = await this.fs.open(await confine(this.dataDir, path), 'r');
    } catch (error) {
      return ignoreMissing(error);
    }
    try {
      await handle.datasync();
    } finally {
      await handle.close();
    }
  }

  private forget(): void {
    this.knownIno = -1;
    this.knownSize = 0;
  }

  /** The path of `absolute` as ops name it. */
  relative(absolute: string): string {
    return relative(this.dataDir, absolute);
  }
}

function parseLine(line: string): LogEntry | { applied: number } | null {
  try {
    const value = JSON.parse(line) as { seq?: unknown; ops?: unknown; sum?: unknown; applied?: unknown };
    if (typeof value.applied === 'number') return { applied: value.applied };
    const at = line.indexOf(OPS_KEY);
    if (typeof value.seq !== 'number' || !Array.isArray(value.ops) || at < 0 || value.sum !== sumOf(value.seq, line.slice(at + OPS_KEY.length, -1))) return null;
    return { seq: value.seq, ops: value.ops as LoggedOp[] };
  } catch {
    return null;
  }
}
