import { createHash } from 'node:crypto';

/**
 * JSON with object keys sorted at every level, so equal data always gives equal bytes. Plain data takes one native
 * JSON.stringify given the sorted list of its keys (see collectPlainKeys); anything else is written out by hand
 * rather than through a JSON.stringify replacer, which built a sorted copy of every object. The output is exactly
 * JSON.stringify's (toJSON honoured, undefined and functions left out of objects and null in arrays).
 */
export function canonicalJson(value: unknown): string {
  const keys = new Set<string>();
  if (collectPlainKeys(value, keys)) return JSON.stringify(value, orderedKeys([...keys])) ?? (undefined as unknown as string);
  return write(value, '') ?? (undefined as unknown as string);
}

/** canonicalJson of each value (`null` for undefined, as in an array), sharing one walk and one list of keys. */
export function canonicalJsonOfEach(values: readonly unknown[]): string[] {
  const keys = new Set<string>();
  if (!collectPlainKeys(values, keys)) return values.map((value) => write(value, '') ?? 'null');
  const list = orderedKeys([...keys]);
  return values.map((value) => JSON.stringify(value, list) ?? 'null');
}

/**
 * The fast path, for values made only of plain objects, arrays and primitives (every record and journal entry):
 * JSON.stringify given the sorted list of every key in the value writes each object's keys in that order, in one
 * native call, where building the text piece by piece made most of a 10,000-record checksum's time garbage.
 * It collects the keys into `keys`, and says false for anything the list would serialise differently: an object
 * with another prototype (a Map's or typed array's inherited accessors would be read), a toJSON, a key objects
 * inherit (a list naming it would read the inherited value), or an own property that is not enumerable.
 */
function collectPlainKeys(value: unknown, keys: Set<string>): boolean {
  if (value === null || typeof value !== 'object') return true;
  if (Array.isArray(value)) {
    for (const item of value as unknown[]) if (!collectPlainKeys(item, keys)) return false;
    return true;
  }
  const prototype = Object.getPrototypeOf(value) as unknown;
  if (prototype !== Object.prototype && prototype !== null) return false;
  const source = value as Record<string, unknown>;
  const own = Object.keys(source);
  if (Object.getOwnPropertyNames(source).length !== own.length) return false;
  for (const key of own) {
    if (key in Object.prototype) return false;
    keys.add(key);
    if (!collectPlainKeys(source[key], keys)) return false;
  }
  return typeof source.toJSON !== 'function';
}

function write(input: unknown, key: string): string | undefined {
  let value = input;
  if (value !== null && typeof value === 'object' && typeof (value as { toJSON?: unknown }).toJSON === 'function') {
    value = (value as { toJSON(key: string): unknown }).toJSON(key);
  }
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'number':
      return Number.isFinite(value) ? JSON.stringify(value) : 'null';
    case 'boolean':
      return value ? 'true' : 'false';
    case 'bigint':
      return JSON.stringify(value); // throws, as JSON.stringify does
    case 'object':
      break;
    default:
      return undefined; // undefined, functions, symbols
  }
  if (value === null) return 'null';
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) out += `${i === 0 ? '' : ','}${write(value[i], String(i)) ?? 'null'}`;
    return `${out}]`;
  }
  const source = value as Record<string, unknown>;
  let out = '{';
  let first = true;
  for (const name of sortedKeys(source)) {
    const text = write(source[name], name);
    if (text === undefined) continue;
    out += `${first ? '' : ','}${JSON.stringify(name)}:${text}`;
    first = false;
  }
  return `${out}}`;
}

/** Keys sorted, but integer-like keys first in numeric order: the order of the sorted copy the checksums were defined on. */
function sortedKeys(source: object): string[] {
  return orderedKeys(Object.keys(source));
}

function orderedKeys(names: string[]): string[] {
  const keys = names.sort();
  const indices = keys.filter(isArrayIndex);
  if (indices.length === 0) return keys;
  return [...indices.sort((a, b) => Number(a) - Number(b)), ...keys.filter((k) => !isArrayIndex(k))];
}

function isArrayIndex(key: string): boolean {
  return /^(?:0|[1-9]\d*)$/.test(key) && Number(key) < 2 ** 32 - 1;
}

/** `sha256:<hex>` of the canonical form of a value. */
export function checksumOf(value: unknown): string {
  return `sha256:${createHash('sha256').update(canonicalJson(value)).digest('hex')}`;
}
