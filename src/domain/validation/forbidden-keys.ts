import type { ErrorDetail } from '../errors/agentcfg-error';

/** Keys that could rewrite an object's prototype if a JSON body were merged naively. */
export const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

/** Lists every forbidden key anywhere in a parsed JSON value, by dotted path. */
export function findForbiddenKeys(value: unknown, path: string[] = []): ErrorDetail[] {
  if (Array.isArray(value)) {
    return value.flatMap((item, index) => findForbiddenKeys(item, [...path, String(index)]));
  }
  if (typeof value !== 'object' || value === null) return [];
  const found: ErrorDetail[] = [];
  for (const key of Object.keys(value)) {
    const keyPath = [...path, key];
    if (FORBIDDEN_KEYS.has(key)) {
      found.push({ path: keyPath.join('.'), message: `key '${key}' is not allowed` });
      continue;
    }
    found.push(...findForbiddenKeys((value as Record<string, unknown>)[key], keyPath));
  }
  return found;
}
