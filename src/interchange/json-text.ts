import { ValidationError } from '../domain/errors/errors';
import { parseJsonSafely, type SafeJson } from '../domain/validation/safe-json';
import { printable } from '../domain/validation/text-hygiene';
import { assertImportSize } from './limits';

function parse(text: string): SafeJson {
  try {
    return parseJsonSafely(text.startsWith('\uFEFF') ? text.slice(1) : text);
  } catch {
    // The forbidden-key walk recurses: a value nested deep enough to exhaust the stack lands here.
    return { ok: false, reason: 'nests too deeply to read', polluted: true };
  }
}

/**
 * Parses a file's JSON text (a leading BOM allowed), or throws a ValidationError that never quotes the text:
 * JSON.parse's own message does, and the text may hold a key, so only the position is passed on. `what` names the
 * text in the message, when it needs naming ("the JSON string it holds").
 */
export function parseImportJson(text: string, source: string, what?: string): unknown {
  const parsed = parse(text);
  if (parsed.ok) return parsed.value;
  const position = /position (\d+)/.exec(parsed.reason)?.[1];
  const message = parsed.polluted ? printable(parsed.reason) : `${what ? `${what} ` : ''}is not valid JSON${position === undefined ? '' : ` (at position ${position})`}`;
  throw new ValidationError(`${printable(source)}: ${message}`, [{ path: '', message }], { context: { source } });
}

/** As parseImportJson, size-capped first (see MAX_IMPORT_BYTES). */
export function parseImportFile(text: string, source: string, what?: string): unknown {
  assertImportSize(text, source);
  return parseImportJson(text, source, what);
}
