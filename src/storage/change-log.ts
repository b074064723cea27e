import { deepFreeze } from '../domain/deep-freeze';
import { IntegrityError } from '../domain/errors/errors';
import { parseJsonSafely } from '../domain/validation/safe-json';
import { checksumOf } from './canonical-json';
import type { CollectionSnapshot } from './collection-file';
import type { CollectionSpec } from './collection-specs';

/**
 * One change to a collection, as a line of its change log: the records put (replaced where their id is, added at
 * the end otherwise) and the ids deleted, taking the collection to `revision`.
 */
export interface ChangeLine {
  revision: number;
  put: readonly { id: string }[];
  delete: readonly string[];
}

/** A change log read from disk: its valid lines, and how many bytes they take (a torn last line is not counted). */
export interface ParsedChangeLog {
  lines: ChangeLine[];
  goodBytes: number;
}

/** `config/personalities.json` keeps its changes in `config/personalities.changes.jsonl`. */
export function changeLogPathOf(collectionPath: string): string {
  return collectionPath.replace(/\.json$/, '.changes.jsonl');
}

function checkOf(line: ChangeLine): string {
  return checksumOf({ revision: line.revision, put: line.put, delete: line.delete });
}

/** The text of a line: one JSON object with a checksum of its content, ending in a newline. */
export function encodeChangeLine(line: ChangeLine): string {
  return `${JSON.stringify({ revision: line.revision, put: line.put, delete: line.delete, check: checkOf(line) })}\n`;
}

/** The line a text holds, or why it is not one; a record that fails the schema is never a torn write. */
function readLine(text: string, spec: CollectionSpec): { line: ChangeLine } | { reason: string; torn: boolean } {
  const json = parseJsonSafely(text);
  if (!json.ok) return { reason: json.reason, torn: !json.polluted };
  const value = json.value as Partial<ChangeLine> & { check?: unknown };
  if (typeof value !== 'object' || value === null || !Number.isInteger(value.revision) || !Array.isArray(value.put) || !Array.isArray(value.delete)) {
    return { reason: 'not a change line', torn: true };
  }
  const line: ChangeLine = { revision: value.revision as number, put: value.put, delete: value.delete };
  if (value.check !== checkOf(line)) return { reason: 'checksum mismatch', torn: true };
  if (!line.delete.every((id) => typeof id === 'string')) return { reason: 'a deleted id is not a string', torn: false };
  for (const [index, record] of line.put.entries()) {
    const checked = spec.schema.safeParse(record);
    if (!checked.success) return { reason: `record ${index} fails the ${spec.kind} schema`, torn: false };
  }
  return { line: { revision: line.revision, put: line.put.map(deepFreeze), delete: line.delete } };
}

/**
 * Parses a change log. Only the last line may be bad, and only as a write cut short by a crash (unparseable, or
 * its checksum off): it is left out, and the next append cuts it off. Any other bad line means the log was damaged
 * or tampered with: an IntegrityError naming `file` and the line, so nothing after it is silently dropped.
 */
export function parseChangeLog(text: string, spec: CollectionSpec, file: string): ParsedChangeLog {
  const lines: ChangeLine[] = [];
  const texts = text.split('\n');
  const complete = text.endsWith('\n');
  let last = texts.length - 1;
  while (last >= 0 && texts[last] === '') last--;
  let goodBytes = 0;
  for (let i = 0; i <= last; i++) {
    const read = readLine(texts[i] as string, spec);
    const isLast = i === last;
    if ('line' in read && (complete || !isLast)) {
      lines.push(read.line);
      goodBytes += Buffer.byteLength(texts[i] as string) + 1;
      continue;
    }
    if ('line' in read || (isLast && read.torn)) break;
    throw new IntegrityError(`${file} line ${i + 1} is not a valid change (${read.reason})${isLast ? '' : ' and changes follow it'}; refused, nothing was changed`, {
      context: { service: 'file', operation: 'read-changes', file, line: i + 1 },
    });
  }
  return { lines, goodBytes };
}

/**
 * The collection after the lines that come after `base` (lines at or before its revision are already in it).
 * Null when the lines do not continue it (a gap: the file is older than the changes, restored from elsewhere).
 */
export function applyChanges(base: CollectionSnapshot, lines: readonly ChangeLine[]): CollectionSnapshot | null {
  let { revision } = base;
  let items = base.items as readonly { id: string }[];
  for (const line of lines) {
    if (line.revision <= revision) continue;
    if (line.revision !== revision + 1) return null;
    const deleted = new Set(line.delete);
    const next = items.filter((record) => !deleted.has(record.id));
    const at = new Map(next.map((record, index) => [record.id, index]));
    for (const record of line.put) {
      const index = at.get(record.id);
      if (index === undefined) {
        at.set(record.id, next.length);
        next.push(record);
      } else {
        next[index] = record;
      }
    }
    items = next;
    revision = line.revision;
  }
  return { revision, items };
}

/**
 * The change from `before` to `after` as a line, or null when replaying it would not give `after` in its order
 * (records moved, say): such a write replaces the file instead. Records are compared by identity, as writes reuse
 * the (frozen) records they did not change.
 */
export function changeBetween(before: CollectionSnapshot, after: CollectionSnapshot): ChangeLine | null {
  const kept = new Set(before.items);
  const afterIds = new Set((after.items as { id: string }[]).map((r) => r.id));
  const line: ChangeLine = {
    revision: after.revision,
    put: (after.items as { id: string }[]).filter((record) => !kept.has(record)),
    delete: (before.items as { id: string }[]).filter((record) => !afterIds.has(record.id)).map((record) => record.id),
  };
  const replayed = applyChanges(before, [line]);
  if (!replayed || replayed.items.length !== after.items.length) return null;
  for (let i = 0; i < after.items.length; i++) {
    if ((replayed.items[i] as { id: string }).id !== (after.items[i] as { id: string }).id) return null;
  }
  return line;
}
