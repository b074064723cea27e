import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

/** sha256 of every file in the data folder's `config/` (including backups), by name. */
export async function hashConfigFiles(dataDir: string): Promise<Record<string, string>> {
  const dir = join(dataDir, 'config');
  const hashes: Record<string, string> = {};
  for (const name of (await readdir(dir)).sort()) {
    hashes[name] = createHash('sha256').update(await readFile(join(dir, name))).digest('hex');
  }
  return hashes;
}
