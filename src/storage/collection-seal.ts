import type { Stats } from 'node:fs';
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { SCHEMA_VERSION, type CollectionSpec } from './collection-specs';

/**
 * What agentcfg records of a collection file right after writing it (and checking every record it wrote): the
 * file's identity and times, down to the change time no tool can set back, and the schema it was checked against.
 * A file that still matches its seal holds exactly those bytes, so opening it need not check and hash every record
 * again; any change to it since (a hand edit, even one that keeps size and modification time, a copy, a restore)
 * moves its change time and it is checked in full.
 */
export interface CollectionSeal {
  dev: number;
  ino: number;
  size: number;
  mtimeMs: number;
  ctimeMs: number;
  /** The checksum the file carries. */
  checksum: string;
  /** Which schema the records were checked against (see schemaFingerprint). */
  schema: string;
}

const sealSchema = z.strictObject({
  dev: z.number(),
  ino: z.number(),
  size: z.number(),
  mtimeMs: z.number(),
  ctimeMs: z.number(),
  checksum: z.string(),
  schema: z.string(),
});

const fingerprints = new WeakMap<CollectionSpec, string | null>();

/** A digest of the file format and the record schema, or null when the schema cannot be written out to compare. */
export function schemaFingerprint(spec: CollectionSpec): string | null {
  if (!fingerprints.has(spec)) {
    let fingerprint: string | null;
    try {
      const schema = JSON.stringify(z.toJSONSchema(spec.schema, { unrepresentable: 'throw' }));
      fingerprint = createHash('sha256').update(`${SCHEMA_VERSION}\n${spec.itemsKey}\n${schema}`).digest('hex').slice(0, 32);
    } catch {
      fingerprint = null;
    }
    fingerprints.set(spec, fingerprint);
  }
  return fingerprints.get(spec) ?? null;
}

/** The seal of a file just written, from its stat; null when it cannot be trusted later (see sealHolds). */
export function sealOf(stat: Stats, checksum: string, spec: CollectionSpec): CollectionSeal | null {
  const schema = schemaFingerprint(spec);
  if (schema === null) return null;
  const { dev, ino, size, mtimeMs, ctimeMs } = stat;
  return { dev, ino, size, mtimeMs, ctimeMs, checksum, schema };
}

/** The seal's text as stored. */
export function encodeSeal(seal: CollectionSeal): string {
  return `${JSON.stringify(seal)}\n`;
}

/** The seal a stored text holds; null for a torn or foreign one. */
export function decodeSeal(text: string): CollectionSeal | null {
  try {
    const parsed = sealSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/**
 * Whether `stat` is the file the seal was made of, unchanged, for this schema. Only on a file system whose times
 * have sub-millisecond precision: with coarse times an edit in the same tick as the write would look unchanged.
 */
export function sealHolds(seal: CollectionSeal | null, stat: Stats, spec: CollectionSpec): boolean {
  if (seal === null || Number.isInteger(seal.ctimeMs)) return false;
  return (
    seal.dev === stat.dev &&
    seal.ino === stat.ino &&
    seal.size === stat.size &&
    seal.mtimeMs === stat.mtimeMs &&
    seal.ctimeMs === stat.ctimeMs &&
    seal.schema === schemaFingerprint(spec)
  );
}
