import { findForbiddenKeys } from './forbidden-keys';

/** What parsing JSON text found: the value, or why it was refused. */
export type SafeJson = { ok: true; value: unknown } | { ok: false; reason: string; polluted: boolean };

/**
 * Parses JSON text read back from disk, refusing prototype-pollution keys anywhere in it. JSON.parse keeps such
 * keys as own properties, harmless until some later spread or merge follows them, so they are refused here.
 */
export function parseJsonSafely(text: string): SafeJson {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { ok: false, reason: `not valid JSON (${(error as Error).message})`, polluted: false };
  }
  const forbidden = findForbiddenKeys(value);
  if (forbidden.length > 0) {
    return { ok: false, reason: `forbidden key at ${forbidden.slice(0, 3).map((f) => f.path).join(', ')}`, polluted: true };
  }
  return { ok: true, value };
}
