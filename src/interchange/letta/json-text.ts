import { ValidationError } from '../../domain/errors/errors';
import { printable } from '../../domain/validation/text-hygiene';
import { parseImportFile, parseImportJson } from '../json-text';

/**
 * Parses a Letta agent file's text (size-capped, a leading BOM allowed). Files in the wild are sometimes a JSON
 * string holding the JSON: that is unwrapped once, never twice.
 */
export function parseLettaJson(text: string, source: string): unknown {
  const outer = parseImportFile(text, source, 'the file');
  if (typeof outer !== 'string') return outer;
  const inner = parseImportJson(outer, source, 'the JSON string it holds');
  if (typeof inner === 'string') {
    const message = 'is a JSON string wrapped more than once';
    throw new ValidationError(`${printable(source)} ${message}`, [{ path: '', message }], { context: { source } });
  }
  return inner;
}
