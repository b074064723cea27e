import { createHash } from 'node:crypto';

/** JSON with object keys sorted at every level, so equal data always gives equal bytes. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) return v;
    const source = v as Record<string, unknown>;
    return Object.fromEntries(Object.keys(source).sort().map((k) => [k, source[k]]));
  });
}

/** `sha256:<hex>` of the canonical form of a value. */
export function checksumOf(value: unknown): string {
  return `sha256:${createHash('sha256').update(canonicalJson(value)).digest('hex')}`;
}
