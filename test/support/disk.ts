import { createHash } from 'node:crypto';
import { lstat, readdir, readFile, readlink } from 'node:fs/promises';
import { join, sep } from 'node:path';

/**
 * The folder's write-ahead log, left out of the hashes below: it holds again changes its files hold, and whoever
 * opens the folder may empty it (a checkpoint) without changing any of them. A write that reached it reached the
 * files too, and shows there.
 */
const FOLDER_LOG = join('config', 'commits.log');

/** sha256 of every file in the data folder's `config/` (including backups, not the folder log), by name. */
export async function hashConfigFiles(dataDir: string): Promise<Record<string, string>> {
  const dir = join(dataDir, 'config');
  const hashes: Record<string, string> = {};
  for (const name of (await readdir(dir)).sort()) {
    if (join('config', name) === FOLDER_LOG) continue;
    hashes[name] = createHash('sha256').update(await readFile(join(dir, name))).digest('hex');
  }
  return hashes;
}

/**
 * sha256 of every file under `dir` by relative path, without following symlinks (a link is recorded by where it
 * points), so comparing two calls proves nothing under `dir` was written, created or removed (the folder log aside,
 * see FOLDER_LOG). `{}` when absent.
 */
export async function hashTree(dir: string): Promise<Record<string, string>> {
  const hashes: Record<string, string> = {};
  const root = await lstat(dir).catch(() => null);
  if (root?.isSymbolicLink()) return { '.': `link:${await readlink(dir)}` };
  const walk = async (folder: string, prefix: string): Promise<void> => {
    let names: string[];
    try {
      names = (await readdir(folder)).sort();
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw error;
    }
    for (const name of names) {
      const path = join(folder, name);
      const key = `${prefix}${name}`;
      if (path.endsWith(`${sep}${FOLDER_LOG}`)) continue;
      const stat = await lstat(path);
      if (stat.isSymbolicLink()) hashes[key] = `link:${await readlink(path)}`;
      else if (stat.isDirectory()) await walk(path, `${key}/`);
      else hashes[key] = createHash('sha256').update(await readFile(path)).digest('hex');
    }
  };
  await walk(dir, '');
  return hashes;
}
