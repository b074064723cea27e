import { FORBIDDEN_KEYS, findForbiddenKeys } from './forbidden-keys';

/**
 * A forbidden key can only come from text that spells it out or writes a character as a `\u` escape (the keys are
 * plain letters and underscores); most files do neither, and are not walked.
 */
const MAY_NAME_FORBIDDEN_KEY = new RegExp([...FORBIDDEN_KEYS, String.raw`\\u`].join('|'));

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
  const forbidden = MAY_NAME_FORBIDDEN_KEY.test(text) ? findForbiddenKeys(value) : [];
  if (forbidden.length > 0) {
    return { ok: false, reason: `forbidden key at ${forbidden.slice(0, 3).map((f) => f.path).join(', ')}`, polluted: true };
  }
  return { ok: true, value };
}
