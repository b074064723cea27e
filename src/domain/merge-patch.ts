/** True for a plain JSON object (not an array, not null). */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Applies a JSON merge patch (RFC 7386): objects merge key by key, `null` removes a key, anything else
 * replaces. Keys are copied with defineProperty-free object spreads of validated input only.
 */
export function mergePatch<T extends Record<string, unknown>>(target: T, patch: Record<string, unknown>): T {
  const result: Record<string, unknown> = { ...target };
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    else if (value === undefined) continue;
    else if (isPlainObject(value) && isPlainObject(result[key])) result[key] = mergePatch(result[key], value);
    else result[key] = value;
  }
  return result as T;
}

/** A merge patch of T: any subset of fields, nested objects patched in turn, `null` to remove an optional field. */
export type MergePatch<T> = {
  [K in keyof T]?:
    | (NonNullable<T[K]> extends readonly unknown[] ? T[K] : NonNullable<T[K]> extends object ? MergePatch<NonNullable<T[K]>> : T[K])
    | null;
};
