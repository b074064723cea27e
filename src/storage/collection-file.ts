import { z } from 'zod';
import { deepFreeze } from '../domain/deep-freeze';
import { issuesToDetails } from '../domain/validation/parse-input';
import { parseJsonSafely } from '../domain/validation/safe-json';
import { checksumOf } from '../domain/canonical-json';
import { RecordTextCache } from './record-texts';
import { SCHEMA_VERSION, type CollectionSpec } from './collection-specs';

/** The records of one collection and the file revision they were read at. */
export interface CollectionSnapshot<T = unknown> {
  revision: number;
  items: readonly T[];
}

/** What decoding a collection file found. */
export type DecodeResult =
  | { status: 'ok'; snapshot: CollectionSnapshot }
  | { status: 'hand-edited'; snapshot: CollectionSnapshot }
  | { status: 'corrupt'; reason: string };

function envelopeSchema(spec: CollectionSpec) {
  return z
    .object({
      schemaVersion: z.literal(SCHEMA_VERSION),
      revision: z.number().int().nonnegative(),
      checksum: z.string(),
      [spec.itemsKey]: z.array(spec.schema),
    })
    .superRefine((file, ctx) => {
      const seen = new Set<string>();
      (file[spec.itemsKey] as { id: string }[]).forEach((item, index) => {
        if (seen.has(item.id)) ctx.addIssue({ code: 'custom', path: [spec.itemsKey, index, 'id'], message: `duplicate id '${item.id}'` });
        seen.add(item.id);
      });
    });
}

/**
 * Decodes a collection file. Unparseable or schema-invalid text, or text carrying prototype-pollution keys, is
 * corrupt; a valid file whose checksum no longer matches its records was edited by hand, which we accept.
 */
export function decodeCollection(text: string, spec: CollectionSpec): DecodeResult {
  const parsed = parseJsonSafely(text);
  if (!parsed.ok) return { status: 'corrupt', reason: parsed.reason };
  const result = envelopeSchema(spec).safeParse(parsed.value);
  if (!result.success) {
    const first = issuesToDetails(result.error.issues).slice(0, 3);
    return { status: 'corrupt', reason: `schema check failed at ${first.map((d) => `${d.path || '(root)'}: ${d.message}`).join('; ')}` };
  }
  const file = result.data as { revision: number; checksum: string } & Record<string, unknown>;
  // Frozen: the records read are the ones handed out and written back, so a caller cannot change them unchecked.
  const items = (file[spec.itemsKey] as unknown[]).map(deepFreeze);
  const snapshot = { revision: file.revision, items };
  return file.checksum === checksumOf(items) ? { status: 'ok', snapshot } : { status: 'hand-edited', snapshot };
}

/**
 * The file text for a collection at a revision: readable, two-space indented, checksum of the canonical items;
 * exactly JSON.stringify(file, null, 2). With `texts`, the records' texts kept from earlier writes are reused.
 */
export function encodeCollection(spec: CollectionSpec, snapshot: CollectionSnapshot, texts = new RecordTextCache()): string {
  return encodeCollectionWithChecksum(spec, snapshot, texts).text;
}

/** As encodeCollection, with the checksum the text carries. */
export function encodeCollectionWithChecksum(spec: CollectionSpec, snapshot: CollectionSnapshot, texts = new RecordTextCache()): { text: string; checksum: string } {
  const { checksum, array } = texts.encode(snapshot.items);
  const header = [`  "schemaVersion": ${JSON.stringify(SCHEMA_VERSION)}`, `  "revision": ${JSON.stringify(snapshot.revision)}`, `  "checksum": ${JSON.stringify(checksum)}`];
  return { text: `{\n${header.join(',\n')},\n  ${JSON.stringify(spec.itemsKey)}: ${array}\n}\n`, checksum };
}

/**
 * Decodes a file that still matches the seal agentcfg made when it wrote and checked it (see CollectionSeal): parsed
 * and its records frozen, not checked and hashed again, which was most of opening a large collection. Anything
 * unexpected (it does not parse, it carries another checksum than the sealed one) goes to decodeCollection.
 */
export function decodeSealedCollection(text: string, spec: CollectionSpec, sealedChecksum: string): DecodeResult {
  let file: unknown;
  try {
    file = JSON.parse(text);
  } catch {
    return decodeCollection(text, spec);
  }
  const envelope = (typeof file === 'object' && file !== null ? file : {}) as { revision?: unknown; checksum?: unknown } & Record<string, unknown>;
  const items = envelope[spec.itemsKey];
  if (envelope.checksum !== sealedChecksum || typeof envelope.revision !== 'number' || !Array.isArray(items)) return decodeCollection(text, spec);
  for (const item of items as unknown[]) deepFreeze(item);
  return { status: 'ok', snapshot: { revision: envelope.revision, items } };
}
