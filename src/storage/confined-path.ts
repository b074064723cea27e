import { readlinkSync, realpathSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { ForbiddenError } from '../domain/errors/errors';

/** Real paths of data folders seen so far: a folder is resolved once, its files on every operation. */
const realDataDirs = new Map<string, string>();

/** How many links a dangling chain may have before we stop following it. */
const MAX_LINKS = 32;

function isInside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel));
}

function errnoOf(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException)?.code;
}

function realDataDir(dataDir: string): string | null {
  const cached = realDataDirs.get(dataDir);
  if (cached !== undefined) return cached;
  try {
    const real = realpathSync.native(dataDir);
    realDataDirs.set(dataDir, real);
    return real;
  } catch (error) {
    if (errnoOf(error) === 'ENOENT') return null; // not made yet: nothing under it can be a link
    throw error;
  }
}

/**
 * Where `path` really leads: its real path when it exists; when it does not, the real path of its folder joined
 * with its name, or, for a dangling link (which an append or open would follow and create), where the link points.
 */
function whereItLeads(path: string, links = 0): string {
  try {
    return realpathSync.native(path);
  } catch (error) {
    const code = errnoOf(error);
    if (code !== 'ENOENT' && code !== 'ENOTDIR') throw error;
  }
  const folder = dirname(path) === path ? path : whereItLeads(dirname(path), links);
  let link: string;
  try {
    link = readlinkSync(path);
  } catch {
    return join(folder, basename(path)); // absent, or not a link
  }
  if (links >= MAX_LINKS) throw Object.assign(new Error(`too many links at ${path}`), { code: 'ELOOP' });
  return whereItLeads(resolve(folder, link), links + 1);
}

/**
 * Refuses (FORBIDDEN) a path that is not inside the data folder once symlinks are resolved, so a link planted in
 * the data folder can neither read nor write anything outside it. Returns the path, resolved, to use as it is.
 * The data folder's own real path is looked up once and cached; each call costs one realpath in the usual case.
 * It guards against links that are there before an operation, not against a race with someone swapping them.
 * The lookups are synchronous for the reason nodeFileSystem's calls are: each is far cheaper than a thread-pool
 * hand-off.
 */
export async function confine(dataDir: string, path: string): Promise<string> {
  const root = resolve(dataDir);
  const target = resolve(root, path);
  const refuse = () =>
    new ForbiddenError(`${target} leads outside the data folder ${root}; refused, nothing was read or written through it`, {
      context: { service: 'file', operation: 'confine', file: target },
    });
  if (!isInside(root, target)) throw refuse();
  const realRoot = realDataDir(root);
  if (realRoot === null) return target;
  if (!isInside(realRoot, whereItLeads(target))) throw refuse();
  return target;
}
