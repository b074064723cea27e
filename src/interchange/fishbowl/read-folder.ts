import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { ValidationError } from '../../domain/errors/errors';
import { printable } from '../../domain/validation/text-hygiene';
import { assertImportSize } from '../limits';
import { FISHBOWL_FILE_KINDS, FISHBOWL_FILES } from './files';
import { readFishbowlFileAs } from './read-file';
import type { FishbowlSettings } from './settings';

function unreadable(path: string, reason: string, errno?: string): ValidationError {
  const message = `cannot be read: ${reason}`;
  return new ValidationError(`${printable(path)} ${message}`, [{ path: '', message }], { context: { source: path, errno } });
}

function errnoOf(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException | undefined)?.code;
}

/** The text of one settings file, or null when the folder has no such file. */
async function readSettingsFile(path: string): Promise<string | null> {
  try {
    const stats = await stat(path);
    // Only regular files: a FIFO or device under a settings name would block or never end.
    if (!stats.isFile()) throw unreadable(path, 'it is not a regular file');
    assertImportSize(stats.size, path);
    return await readFile(path, 'utf8');
  } catch (error) {
    if (error instanceof ValidationError) throw error;
    const errno = errnoOf(error);
    if (errno === 'ENOENT') return null;
    throw unreadable(path, errno ?? 'unknown error', errno);
  }
}

/** Checks that `dir` is a folder, so a wrong path says so rather than "no settings files". */
async function assertFolder(dir: string): Promise<void> {
  try {
    if ((await stat(dir)).isDirectory()) return;
  } catch (error) {
    const errno = errnoOf(error);
    const message = errno === 'ENOENT' || errno === 'ENOTDIR' ? 'does not exist' : `cannot be read (${errno ?? 'unknown error'})`;
    throw new ValidationError(`${printable(dir)} ${message}`, [{ path: '', message }], { context: { source: dir, errno } });
  }
  throw new ValidationError(`${printable(dir)} is not a folder`, [{ path: '', message: 'is not a folder' }], { context: { source: dir } });
}

/**
 * Reads a Fishbowl user-data folder: whichever of personalities.json, roles.json, agents.json and llm_config.json
 * it holds, each validated as the file its name says. A folder with none of them is a ValidationError (reason
 * 'not-found' in its context), as is any invalid file, naming the file and the failing field paths.
 */
export async function readFishbowlFolder(dir: string): Promise<FishbowlSettings> {
  await assertFolder(dir);
  const settings: FishbowlSettings = { personalities: [], roles: [], agents: [], llmConfigs: [], files: [] };
  for (const kind of FISHBOWL_FILE_KINDS) {
    const path = join(dir, FISHBOWL_FILES[kind]);
    const text = await readSettingsFile(path);
    if (text === null) continue;
    const { files = [], ...records } = readFishbowlFileAs(kind, text, path);
    Object.assign(settings, records);
    settings.files.push(...files);
  }
  if (settings.files.length === 0) {
    const message = `holds none of ${Object.values(FISHBOWL_FILES).join(', ')}`;
    throw new ValidationError(`${printable(dir)} is not a Fishbowl settings folder: it ${message}`, [{ path: '', message }], {
      context: { source: dir, reason: 'not-found' },
    });
  }
  return settings;
}
