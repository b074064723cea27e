import { deepFreeze } from '../domain/deep-freeze';
import { IntegrityError } from '../domain/errors/errors';
import { parseJsonSafely } from '../domain/validation/safe-json';
import { checksumOf } from '../domain/canonical-json';
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
    items = applyLine(items, line);
    revision = line.revision;
  }
  return { revision, items };
}

/** Up to this many records put by a line are found by a scan; more, through an index of every id. */
const SCANNED_PUTS = 8;

/** The records after one line: its deletions dropped, its records put in place of the same id, or at the end. */
function applyLine(items: readonly { id: string }[], line: ChangeLine): { id: string }[] {
  const deleted = new Set(line.delete);
  const next = deleted.size === 0 ? items.slice() : items.filter((record) => !deleted.has(record.id));
  // A line usually puts one record: a scan of the list finds it without building an index of 10,000 ids.
  const at = line.put.length <= SCANNED_PUTS ? null : new Map(next.map((record, index) => [record.id, index]));
  for (const record of line.put as { id: string }[]) {
    const index = at ? at.get(record.id) : next.findIndex((r) => r.id === record.id);
    if (index === undefined || index === -1) {
      at?.set(record.id, next.length);
      next.push(record);
    } else {
      next[index] = record;
    }
  }
  return next;
}

/**
 * The change from `before` to `after` as a line, or null when replaying it would not give `after` in its order
 * (records moved, say): such a write replaces the file instead. Records are compared by identity, as writes reuse
 * the (frozen) records they did not change.
 */
export function changeBetween(before: CollectionSnapshot, after: CollectionSnapshot): ChangeLine | null {
  const b = before.items as readonly { id: string }[];
  const a = after.items as readonly { id: string }[];
  return replaysTo(before, a, walkedChange(b, a, after.revision)) ?? replaysTo(before, a, diffedChange(b, a, after.revision));
}

/**
 * The change read off both lists walked side by side, as writes usually make them: records kept in place, some
 * replaced under the same id, some dropped, new ones at the end. Linear, with no index of every record.
 */
function walkedChange(b: readonly { id: string }[], a: readonly { id: string }[], revision: number): ChangeLine {
  const put: { id: string }[] = [];
  const deleted: string[] = [];
  let i = 0;
  let j = 0;
  while (i < b.length && j < a.length) {
    const was = b[i] as { id: string };
    const now = a[j] as { id: string };
    if (was !== now && was.id !== now.id) {
      deleted.push(was.id);
      i++;
      continue;
    }
    if (was !== now) put.push(now);
    i++;
    j++;
  }
  for (; i < b.length; i++) deleted.push((b[i] as { id: string }).id);
  for (; j < a.length; j++) put.push(a[j] as { id: string });
  return { revision, put, delete: deleted };
}

/** The change by identity: every record of `after` not in `before` put, every id no longer there deleted. */
function diffedChange(b: readonly { id: string }[], a: readonly { id: string }[], revision: number): ChangeLine {
  const kept = new Set(b);
  const afterIds = new Set(a.map((r) => r.id));
  return { revision, put: a.filter((record) => !kept.has(record)), delete: b.filter((record) => !afterIds.has(record.id)).map((record) => record.id) };
}

/** The line, if replaying it on `before` gives exactly the records of `after`, in their order; null otherwise. */
function replaysTo(before: CollectionSnapshot, after: readonly unknown[], line: ChangeLine): ChangeLine | null {
  const replayed = applyChanges(before, [line]);
  if (!replayed || replayed.items.length !== after.length) return null;
  for (let i = 0; i < after.length; i++) if (replayed.items[i] !== after[i]) return null;
  return line;
}
