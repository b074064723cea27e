import { join } from 'node:path';
import { confine } from '../confined-path';
import { linkOrCopy, tempPathFor } from '../durable-write';
import type { IFileSystem } from '../file-system';
import { readStoredFile } from '../stored-file';
import { changedNothing, toStorageError } from '../io-errors';

// How a commit's changes are made in their files, undone when making them fails, and made again from the folder
// log after a crash or a power cut (see FolderLog, which decides when).

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

/** One commit as the folder log holds it. */
export interface LogEntry {
  seq: number;
  ops: LoggedOp[];
}

/** The file an op changes, relative to the data folder. */
export function pathOf(op: LoggedOp): string {
  return 'put' in op ? op.put : 'append' in op ? op.append : op.remove;
}

export function ignoreMissing(error: unknown): void {
  if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
}

/** A commit's changes, their new files' bytes written under temp names, ready to be put in place or undone. */
export interface PreparedOps {
  /** Makes the changes in their files, in order, without syncing (the folder log is what makes them durable). */
  apply(): Promise<void>;
  /** Puts back what apply changed (after it failed part way). */
  undo(): Promise<void>;
  /** Removes the temp files of changes that will not be made. */
  discard(): Promise<void>;
}

export async function prepareOps(fs: IFileSystem, dataDir: string, ops: readonly LoggedOp[]): Promise<PreparedOps> {
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
export async function applyOps(fs: IFileSystem, dataDir: string, ops: readonly LoggedOp[]): Promise<void> {
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
export async function redoEntries(fs: IFileSystem, dataDir: string, entries: readonly LogEntry[], onChanged: (path: string) => void): Promise<boolean> {
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
export async function appendAt(fs: IFileSystem, path: string, at: number, text: string): Promise<void> {
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
