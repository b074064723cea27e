import { crc32 } from 'node:zlib';
import { dirname, join, relative } from 'node:path';
import type { ILogger } from '../../logging/logger';
import { appendWhole } from '../append-whole';
import { confine } from '../confined-path';
import { linkOrCopy, tempPathFor } from '../durable-write';
import type { IFileSystem } from '../file-system';
import { readStoredFile } from '../stored-file';
import { changedNothing, toStorageError } from '../io-errors';

/**
 * One change to one file of the data folder, as the folder log holds it (paths relative to the folder):
 * - `put`: the file's whole new text (a collection file says its `revision`; `backup` keeps the old file as `.bak`);
 * - `append`: the file was `at` bytes long, and `text` follows;
 * - `remove`: the file is gone.
 */
export type LoggedOp =
  | { put: string; text: string; revision?: number; backup?: boolean }
  | { append: string; at: number; text: string }
  | { remove: string };

interface LogEntry {
  seq: number;
  ops: LoggedOp[];
}

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

function pathOf(op: LoggedOp): string {
  return 'put' in op ? op.put : 'append' in op ? op.append : op.remove;
}

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

function ignoreMissing(error: unknown): void {
  if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
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

/** A commit's changes, their new files' bytes written under temp names, ready to be put in place or undone. */
interface PreparedOps {
  /** Makes the changes in their files, in order, without syncing (the folder log is what makes them durable). */
  apply(): Promise<void>;
  /** Puts back what apply changed (after it failed part way). */
  undo(): Promise<void>;
  /** Removes the temp files of changes that will not be made. */
  discard(): Promise<void>;
}

async function prepareOps(fs: IFileSystem, dataDir: string, ops: readonly LoggedOp[]): Promise<PreparedOps> {
  const temps = new Map<LoggedOp, string>();
  /** Second names of replaced or removed files, kept until the commit is done (undo puts them back). */
  const kept: string[] = [];
  const discard = async () => {
    for (const temp of [...temps.values(), ...kept]) await fs.rm(temp, { force: true }).catch(() => undefined);
  };
  try {
    for (const op of ops) {
      if (!('put' in op)) continue;
      const path = await confine(dataDir, join(dataDir, op.put));
      // A backup that names something outside the data folder (a planted link) is refused before anything is done.
      if (op.backup) await confine(dataDir, `${path}.bak`);
      const temp = tempPathFor(path);
      temps.set(op, temp);
      await fs.writeFile(temp, op.text);
    }
  } catch (error) {
    await discard();
    throw changedNothing(toStorageError(error, 'write', dataDir));
  }
  const undos: (() => Promise<void>)[] = [];
  const finals: (() => Promise<void>)[] = [];
  return {
    discard,
    async undo() {
      for (const undo of undos.reverse()) await undo();
      await discard();
    },
    async apply() {
      for (const op of ops) {
        const path = await confine(dataDir, join(dataDir, pathOf(op)));
        if ('append' in op) {
          const existed = (await fs.statIfExists(path)) !== null;
          // Registered first: cutting the file back to where the append starts is right however far it got.
          undos.push(() => (existed ? fs.truncate(path, op.at) : fs.rm(path, { force: true })));
          await appendAt(fs, path, op.at, op.text);
          continue;
        }
        // The file replaced or removed keeps a second name until the commit is done, for undo to put back.
        const second = tempPathFor(path);
        let existed = true;
        try {
          await linkOrCopy(fs, path, second);
          kept.push(second);
        } catch (error) {
          ignoreMissing(error);
          existed = false;
        }
        if ('put' in op) await fs.rename(temps.get(op) as string, path);
        else await fs.rm(path, { force: true });
        undos.push(async () => {
          if (existed) await fs.rename(second, path);
          else await fs.rm(path, { force: true });
        });
        if (existed && 'put' in op && op.backup) finals.push(() => fs.rename(second, `${path}.bak`));
      }
      // Done: the replaced files become backups, or go.
      for (const final of finals) await final().catch(() => undefined);
      for (const name of kept) await fs.rm(name, { force: true }).catch(() => undefined);
    },
  };
}

/** Makes `ops` in their files, in order, without syncing (for redo: no undo is kept). */
async function applyOps(fs: IFileSystem, dataDir: string, ops: readonly LoggedOp[]): Promise<void> {
  const prepared = await prepareOps(fs, dataDir, ops);
  await prepared.apply();
}

/** What the entries since the last checkpoint leave in one file. */
interface FileOutcome {
  /** The file's whole text (null: no file), when an entry wrote it whole or removed it; else only appends. */
  whole: { text: string | null; revision?: number; backup: boolean } | null;
  /** Where the appends after `whole` (or after what was there before the entries) start, and their bytes. */
  appendedAt: number;
  appended: string;
}

/** Each file's outcome of `entries`, in order: only the last whole write and the appends after it count. */
function outcomes(entries: readonly LogEntry[]): Map<string, FileOutcome> {
  const files = new Map<string, FileOutcome>();
  for (const { ops } of entries) {
    for (const op of ops) {
      const path = pathOf(op);
      if ('append' in op) {
        const file = files.get(path);
        const end = file ? (file.whole ? Buffer.byteLength(file.whole.text ?? '') : file.appendedAt) + Buffer.byteLength(file.appended) : -1;
        // An append that does not follow the ones before (a torn line cut off in between) counts from where it starts.
        if (file && end === op.at) file.appended += op.text;
        else files.set(path, { whole: null, appendedAt: op.at, appended: op.text });
      } else if ('put' in op) {
        files.set(path, { whole: { text: op.text, backup: op.backup === true, ...(op.revision !== undefined ? { revision: op.revision } : {}) }, appendedAt: 0, appended: '' });
      } else {
        files.set(path, { whole: { text: null, backup: false }, appendedAt: 0, appended: '' });
      }
    }
  }
  return files;
}

/**
 * Writes again what `entries` left in their files where a file lacks it: the bytes a power cut lost (a file
 * missing, emptied, cut short, or older than the entry's revision). A file that holds something else was changed by
 * someone since (an edit by hand, tampering): it is left as it is, as evidence, and `onChanged` told. Returns
 * whether anything was written.
 */
async function redoEntries(fs: IFileSystem, dataDir: string, entries: readonly LogEntry[], onChanged: (path: string) => void): Promise<boolean> {
  let changed = false;
  for (const [relativePath, outcome] of outcomes(entries)) {
    const path = await confine(dataDir, join(dataDir, relativePath));
    const file = await readStoredFile(fs, dataDir, path).catch(() => null);
    const now = file ? Buffer.from(file.text) : null;
    const tail = Buffer.from(outcome.appended);
    if (outcome.whole) {
      const { text, revision } = outcome.whole;
      if (text === null) {
        // Removed, then appended to again (a change log folded and begun anew), or removed for good.
        const expected = tail;
        if (now === null ? expected.length === 0 : now.equals(expected)) continue;
        if (now !== null && !isPrefix(now, expected)) {
          onChanged(path);
          continue;
        }
        await fs.rm(path, { force: true });
        if (expected.length > 0) await appendAt(fs, path, 0, outcome.appended);
        changed = true;
        continue;
      }
      const expected = Buffer.concat([Buffer.from(text), tail]);
      if (now?.equals(expected)) continue;
      if (revision !== undefined && now !== null && revisionOf(now.toString('utf8')) >= revision) continue;
      const lost = now === null || isPrefix(now, expected) || (revision !== undefined && revisionOf(now.toString('utf8')) < revision);
      if (!lost) {
        onChanged(path);
        continue;
      }
      await applyOps(fs, dataDir, [{ put: relativePath, text: expected.toString('utf8') }]);
      changed = true;
      continue;
    }
    const held = now === null ? Buffer.alloc(0) : now.subarray(Math.min(outcome.appendedAt, now.length));
    if (now !== null && now.length >= outcome.appendedAt + tail.length && held.subarray(0, tail.length).equals(tail)) continue;
    if ((now?.length ?? 0) < outcome.appendedAt || !isPrefix(held, tail)) {
      onChanged(path);
      continue;
    }
    await appendAt(fs, path, outcome.appendedAt, outcome.appended);
    changed = true;
  }
  return changed;
}

/** Whether `bytes` is `whole` cut short (or all of it). */
function isPrefix(bytes: Buffer, whole: Buffer): boolean {
  return bytes.length <= whole.length && whole.subarray(0, bytes.length).equals(bytes);
}

function revisionOf(text: string): number {
  try {
    const value = (JSON.parse(text) as { revision?: unknown }).revision;
    return typeof value === 'number' ? value : -1;
  } catch {
    return -1;
  }
}

/** Cuts the file back to `at` bytes if it is longer (a torn line past it), then appends `text`. */
async function appendAt(fs: IFileSystem, path: string, at: number, text: string): Promise<void> {
  const handle = await fs.open(path, 'a', 0o644);
  try {
    const { size } = await handle.stat();
    if (size < at) throw new Error(`${path} is ${size} bytes long, shorter than the ${at} the change continues`);
    if (size > at) await handle.truncate(at);
    await handle.write(text);
  } finally {
    await handle.close();
  }
}
