import type { FileSystemHandle } from '../file-system';
import { checksumOf } from '../../domain/canonical-json';
import { GENESIS_HASH, type AuditEntry } from '../../audit/audit-entry';

/** Where the chain ends: the last entry's number and hash, and the bytes that hold whole lines. */
export interface AuditTail {
  seq: number;
  hash: string;
  /** Length of the file up to and including its last line end; anything after is a torn write. */
  goodBytes: number;
}

/** Entries are a few hundred bytes; a window this large always holds the last one whole. */
const WINDOW = 64 * 1024;

async function readRange(handle: FileSystemHandle, start: number, end: number): Promise<Buffer> {
  const buffer = Buffer.alloc(end - start);
  await handle.read(buffer, 0, buffer.length, start);
  return buffer;
}

/** Finds the last whole entry by reading only the end of the file, so an append costs the same however long the log grows. */
export async function readAuditTail(handle: FileSystemHandle, size: number): Promise<AuditTail> {
  let start = Math.max(0, size - WINDOW);
  let text = await readRange(handle, start, size);
  let lastEnd = text.lastIndexOf(0x0a);
  let lineStart = lastEnd > 0 ? text.lastIndexOf(0x0a, lastEnd - 1) + 1 : 0;
  if ((lastEnd < 0 || lineStart === 0) && start > 0) {
    // An unusually long last line: read the whole file.
    start = 0;
    text = await readRange(handle, 0, size);
    lastEnd = text.lastIndexOf(0x0a);
    lineStart = lastEnd > 0 ? text.lastIndexOf(0x0a, lastEnd - 1) + 1 : 0;
  }
  if (lastEnd < 0) return { seq: 0, hash: GENESIS_HASH, goodBytes: 0 };
  const line = text.subarray(lineStart, lastEnd).toString('utf8');
  const goodBytes = start + lastEnd + 1;
  const entry = parseEntry(line);
  if (entry) return { seq: entry.seq, hash: entry.hash, goodBytes };
  // Someone replaced the last line. The chain goes on from it as it is, so writes are not blocked and
  // `audit verify` still names that line; its number is the count of lines.
  const lines = (start === 0 ? text : await readRange(handle, 0, size)).subarray(0, goodBytes).toString('utf8').split('\n').length - 1;
  return { seq: lines, hash: checksumOf(line), goodBytes };
}

function parseEntry(line: string): AuditEntry | null {
  try {
    const entry = JSON.parse(line) as Partial<AuditEntry>;
    return typeof entry.seq === 'number' && typeof entry.hash === 'string' ? (entry as AuditEntry) : null;
  } catch {
    return null;
  }
}
