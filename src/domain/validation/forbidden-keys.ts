import type { ErrorDetail } from '../errors/agentcfg-error';

/** Keys that could rewrite an object's prototype if a JSON body were merged naively. */
export const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

/** Lists every forbidden key anywhere in a parsed JSON value, by dotted path. */
export function findForbiddenKeys(value: unknown, path: string[] = []): ErrorDetail[] {
  const found: ErrorDetail[] = [];
  walk(value, [...path], found);
  return found;
}

/** One path, pushed and popped as the walk goes: a whole collection is walked on every load. */
function walk(value: unknown, path: string[], found: ErrorDetail[]): void {
  if (typeof value !== 'object' || value === null) return;
  if (Array.isArray(value)) {
    for (let index = 0; index < value.length; index++) {
      path.push(String(index));
      walk(value[index], path, found);
      path.pop();
    }
    return;
  }
  for (const key of Object.keys(value)) {
    path.push(key);
    if (FORBIDDEN_KEYS.has(key)) found.push({ path: path.join('.'), message: `key '${key}' is not allowed` });
    else walk((value as Record<string, unknown>)[key], path, found);
    path.pop();
  }
}
