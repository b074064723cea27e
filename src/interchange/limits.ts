import { ValidationError } from '../domain/errors/errors';

/** The largest file an import reads: far above any real settings file, small enough to parse in memory. */
export const MAX_IMPORT_BYTES = 10 * 1024 * 1024;

/** How many bytes `input` is (a number is a byte count already, say a file's size). */
function byteCount(input: string | Uint8Array | number): number {
  if (typeof input === 'number') return input;
  if (typeof input !== 'string') return input.byteLength;
  // A string is never fewer UTF-8 bytes than UTF-16 units, so a long one is refused without counting.
  return input.length > MAX_IMPORT_BYTES ? input.length : Buffer.byteLength(input, 'utf8');
}

/** Refuses input over MAX_IMPORT_BYTES, before any parser sees it. */
export function assertImportSize(input: string | Uint8Array | number, source: string): void {
  const bytes = byteCount(input);
  if (bytes <= MAX_IMPORT_BYTES) return;
  const message = `is ${bytes} bytes; an import may be at most ${MAX_IMPORT_BYTES} bytes (10 MB)`;
  throw new ValidationError(`${source} is too large to import`, [{ path: '', message }], { context: { source, bytes } });
}
