import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';

/** Lock folders, lock-owner records and temp files under a data folder: what a later command could trip over. */
export function leftoversIn(dataDir: string): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (/\.lock$|\.lock\.owner$|\.tmp-\d+-[0-9a-f]{8}$/.test(entry.name)) found.push(relative(dataDir, path));
      else if (entry.isDirectory()) walk(path);
    }
  };
  walk(dataDir);
  return found;
}
