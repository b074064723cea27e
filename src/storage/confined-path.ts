import { lstatSync, readlinkSync, realpathSync, type Stats } from 'node:fs';
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

/** The entry at `path` itself (a link is not followed), or null when there is none. */
function entryAt(path: string): Stats | null {
  try {
    return lstatSync(path, { throwIfNoEntry: false }) ?? null;
  } catch (error) {
    if (errnoOf(error) === 'ENOTDIR') return null; // a file where a folder was expected: nothing there either
    throw error;
  }
}

/** The real path of an entry, or null when it is gone (removed since it was seen). */
function realPathIfThere(path: string): string | null {
  try {
    return realpathSync.native(path);
  } catch (error) {
    if (errnoOf(error) === 'ENOENT') return null;
    throw error;
  }
}

/**
 * Where `path` really leads: its real path when it exists; when it does not, the real path of its folder joined
 * with its name, or, for a dangling link (which an append or open would follow and create), where the link points.
 * Absence is asked with lstat, which reports it without an exception: most paths confined are lock and temp files
 * about to be made, and two thrown errors each cost more than the lookups.
 */
function whereItLeads(path: string, links = 0): string {
  const entry = entryAt(path);
  if (entry && !entry.isSymbolicLink()) {
    const real = realPathIfThere(path);
    if (real !== null) return real;
    // Removed between the two lookups (another process's lock owner file, say): it is absent now.
  }
  const folder = dirname(path) === path ? path : whereItLeads(dirname(path), links);
  if (!entry?.isSymbolicLink()) return join(folder, basename(path));
  if (links >= MAX_LINKS) throw Object.assign(new Error(`too many links at ${path}`), { code: 'ELOOP' });
  return whereItLeads(resolve(folder, readlinkSync(path)), links + 1);
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
