import { randomBytes } from 'node:crypto';
import { constants as fsConstants } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { FileSystemHandle, IFileSystem } from './file-system';

/** A temp file's name beside `target`, one initialize() clears if a process dies before it is renamed. */
export function tempPathFor(target: string): string {
  return join(dirname(target), `.${basename(target)}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`);
}

/** True for names this module leaves behind only when a process dies mid-write. */
export function isTempFileName(name: string): boolean {
  return /^\..+\.tmp-\d+-[0-9a-f]{8}$/.test(name);
}

/** New bytes for `target` in a synced temp file beside it, not yet in its place (see commitStaged). */
export interface StagedFile {
  target: string;
  temp: string;
}

/**
 * Replaces `target` so that a crash or power cut at any moment leaves either the old or the new bytes: write a
 * temp file in the same folder, fsync it, rename it over the target, fsync the folder. With `backupPath`, the
 * previous file becomes the backup, rotated only once the new bytes are safely on disk.
 */
export async function writeFileDurably(fs: IFileSystem, target: string, data: string, backupPath?: string): Promise<void> {
  await commitStaged(fs, await stageDurably(fs, target, data), backupPath);
}

/**
 * The first half of writeFileDurably: the bytes written to a temp file and fsync'd. Nothing anyone reads has
 * changed yet, so the slow half of a replace can run without holding the lock that commitStaged needs.
 */
export async function stageDurably(fs: IFileSystem, target: string, data: string): Promise<StagedFile> {
  const temp = tempPathFor(target);
  try {
    const handle = await fs.open(temp, 'wx', 0o644);
    try {
      await writeInSlices(handle, data);
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch (error) {
    await fs.rm(temp, { force: true });
    throw error;
  }
  return { target, temp };
}

/** Large files are written and flushed this many characters at a time (see writeInSlices). */
const FLUSHED_SLICE = 1024 * 1024;

/**
 * Writes `data` to a new file; a large one a slice at a time, each flushed before the next. A journaling file system
 * makes another file's fdatasync wait while it flushes this one's data, so a single flush of megabytes would hold up
 * every small durable append made meanwhile (a writer's, while a compaction stages its file); slices bound the wait.
 */
async function writeInSlices(handle: FileSystemHandle, data: string): Promise<void> {
  if (data.length <= FLUSHED_SLICE) {
    await handle.writeFile(data);
    return;
  }
  for (let start = 0; start < data.length; ) {
    let end = Math.min(start + FLUSHED_SLICE, data.length);
    // Never between the two halves of a surrogate pair: each slice must be valid UTF-16 to encode as UTF-8.
    if (end < data.length && isHighSurrogate(data.charCodeAt(end - 1))) end++;
    await handle.write(data.slice(start, end));
    await handle.datasync();
    start = end;
  }
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

/** The second half of writeFileDurably: the staged bytes put in place (the backup rotated first) and the folder synced. */
export async function commitStaged(fs: IFileSystem, staged: StagedFile, backupPath?: string): Promise<void> {
  try {
    if (backupPath) await rotateBackup(fs, staged.target, backupPath);
    await fs.rename(staged.temp, staged.target);
    await fs.syncFolder(dirname(staged.target));
  } catch (error) {
    await discardStaged(fs, staged);
    throw error;
  }
}

/** Removes staged bytes that will not be put in place (a no-op once they were). */
export async function discardStaged(fs: IFileSystem, staged: StagedFile): Promise<void> {
  await fs.rm(staged.temp, { force: true });
}

/** Gives `source`'s bytes a second name without copying (a hard link), copying only where links are unsupported. */
export async function linkOrCopy(fs: IFileSystem, source: string, destination: string): Promise<void> {
  try {
    await fs.link(source, destination);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'EPERM' && code !== 'EXDEV' && code !== 'ENOTSUP') throw error;
    await fs.copyFile(source, destination, fsConstants.COPYFILE_EXCL);
  }
}

/** Points the backup at the current target, replacing the old backup atomically. */
async function rotateBackup(fs: IFileSystem, target: string, backupPath: string): Promise<void> {
  const staged = tempPathFor(backupPath);
  try {
    await linkOrCopy(fs, target, staged);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return; // first write: nothing to back up
    throw error;
  }
  try {
    await fs.rename(staged, backupPath);
  } finally {
    // A rename between two names of one file does nothing and leaves both (the backup already is the target, as
    // after a replace that failed once the backup was rotated): the staged name must not outlive the call.
    await fs.rm(staged, { force: true });
  }
}
