import { randomBytes } from 'node:crypto';
import { constants as fsConstants } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { IFileSystem } from './file-system';

function tempPathFor(target: string): string {
  return join(dirname(target), `.${basename(target)}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`);
}

/** True for names this module leaves behind only when a process dies mid-write. */
export function isTempFileName(name: string): boolean {
  return /^\..+\.tmp-\d+-[0-9a-f]{8}$/.test(name);
}

/**
 * Replaces `target` so that a crash or power cut at any moment leaves either the old or the new bytes: write a
 * temp file in the same folder, fsync it, rename it over the target, fsync the folder. With `backupPath`, the
 * previous file becomes the backup, rotated only once the new bytes are safely on disk.
 */
export async function writeFileDurably(fs: IFileSystem, target: string, data: string, backupPath?: string): Promise<void> {
  const temp = tempPathFor(target);
  try {
    const handle = await fs.open(temp, 'wx', 0o644);
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    if (backupPath) await rotateBackup(fs, target, backupPath);
    await fs.rename(temp, target);
    await fs.syncFolder(dirname(target));
  } catch (error) {
    await fs.rm(temp, { force: true });
    throw error;
  }
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
  } catch (error) {
    await fs.rm(staged, { force: true });
    throw error;
  }
}
