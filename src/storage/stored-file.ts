import type { Stats } from 'node:fs';
import { IntegrityError } from '../domain/errors/errors';
import { confine } from './confined-path';
import type { FileSystemHandle, IFileSystem } from './file-system';

/** Largest file agentcfg reads: collection files, histories, workflow journals and command-line input (64 MiB). */
export const MAX_FILE_BYTES = 64 * 1024 * 1024;

const CHUNK_BYTES = 1024 * 1024;

/**
 * Reads an open file to its end, or stops once it holds more than `maxBytes` (returning null), so a huge file,
 * a device or a pipe that never ends cannot exhaust memory. The size is counted, not taken from stat.
 */
export async function readAtMost(handle: Pick<FileSystemHandle, 'read'>, maxBytes = MAX_FILE_BYTES): Promise<string | null> {
  const chunks: Buffer[] = [];
  let total = 0;
  for (;;) {
    const buffer = Buffer.allocUnsafe(Math.min(CHUNK_BYTES, maxBytes + 1 - total));
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, null);
    if (bytesRead === 0) break;
    chunks.push(buffer.subarray(0, bytesRead));
    total += bytesRead;
    if (total > maxBytes) return null;
  }
  return Buffer.concat(chunks, total).toString('utf8');
}

/** A stored file's text, and the stat of the descriptor it was read through. */
export interface StoredText {
  text: string;
  stat: Stats;
}

/**
 * Reads a file of the data folder: confined to it (a link leading outside is FORBIDDEN) and at most
 * MAX_FILE_BYTES (a larger file is an INTEGRITY_ERROR naming it; nothing is changed). Null when it is absent.
 */
export async function readStoredFile(fs: IFileSystem, dataDir: string, path: string): Promise<StoredText | null> {
  const read = await readStoredFileUnless(fs, dataDir, path, () => false);
  return read && 'text' in read ? read : null;
}

/**
 * As readStoredFile, but looks at the file's stat first and reads nothing when `unchanged(stat)` says the
 * caller already holds these bytes (returning just the stat): a cache check costs a stat, not a read and a decode
 * of the whole file. Bytes that are read come with the stat of the descriptor they were read through.
 */
export async function readStoredFileUnless(
  fs: IFileSystem,
  dataDir: string,
  path: string,
  unchanged: (stat: Stats) => boolean,
): Promise<StoredText | { unchanged: Stats } | null> {
  const file = await confine(dataDir, path);
  // A stat of the path first: when the caller holds these bytes already, not even an open is needed.
  let seen: Stats;
  try {
    seen = await fs.stat(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  if (unchanged(seen)) return { unchanged: seen };
  let handle: FileSystemHandle;
  try {
    handle = await fs.open(file, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  try {
    const stat = await handle.stat();
    if (unchanged(stat)) return { unchanged: stat };
    const text = stat.size > MAX_FILE_BYTES ? null : await readAtMost(handle);
    if (text === null) {
      throw new IntegrityError(`${file} is larger than ${MAX_FILE_BYTES} bytes; it was not read and nothing was changed`, {
        context: { service: 'file', operation: 'read', file, size: stat.size },
      });
    }
    return { text, stat };
  } finally {
    await handle.close();
  }
}
