import { createHash } from 'node:crypto';

/**
 * JSON with object keys sorted at every level, so equal data always gives equal bytes. Written out by hand
 * rather than through a JSON.stringify replacer: the replacer built a sorted copy of every object, and
 * checksumming a 10,000-record collection spent most of its time allocating them. The output is exactly
 * JSON.stringify's (toJSON honoured, undefined and functions left out of objects and null in arrays).
 */
export function canonicalJson(value: unknown): string {
  return write(value, '') ?? (undefined as unknown as string);
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
  const keys = Object.keys(source).sort();
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
