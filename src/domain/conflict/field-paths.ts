import { isPlainObject } from '../merge-patch';

/** Leaf values of a record by dotted path; nested objects are walked, arrays and scalars are leaves. */
export function leafValues(value: Record<string, unknown>, prefix = ''): Map<string, unknown> {
  const leaves = new Map<string, unknown>();
  for (const [key, item] of Object.entries(value)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (isPlainObject(item)) for (const [p, v] of leafValues(item, path)) leaves.set(p, v);
    else leaves.set(path, item);
  }
  return leaves;
}

/** Paths whose leaf value differs between two records (added, removed or changed). */
export function changedPaths(from: Record<string, unknown>, to: Record<string, unknown>): Set<string> {
  const a = leafValues(from);
  const b = leafValues(to);
  const changed = new Set<string>();
  for (const path of new Set([...a.keys(), ...b.keys()])) {
    if (JSON.stringify(a.get(path)) !== JSON.stringify(b.get(path))) changed.add(path);
  }
  return changed;
}

/** A copy of `target` with the leaf at `path` set to `value` (removed when undefined). */
export function withPath(target: Record<string, unknown>, path: string, value: unknown): Record<string, unknown> {
  const [head, ...rest] = path.split('.') as [string, ...string[]];
  const copy = { ...target };
  if (rest.length === 0) {
    if (value === undefined) delete copy[head];
    else copy[head] = value;
    return copy;
  }
  const child = isPlainObject(copy[head]) ? (copy[head] as Record<string, unknown>) : {};
  copy[head] = withPath(child, rest.join('.'), value);
  return copy;
}
