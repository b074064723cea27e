import { IntegrityError } from '../errors/errors';
import { parseJsonSafely } from '../validation/safe-json';
import { checksumOf } from '../canonical-json';

/** What a journal line records. */
export type JournalEvent =
  | 'workflow.started'
  | 'workflow.status'
  | 'step.intent'
  | 'step.completed'
  | 'step.failed'
  | 'step.policy'
  | 'compensation.completed'
  | 'compensation.failed';

/** One line of a workflow journal. */
export interface JournalEntry {
  seq: number;
  at: string;
  event: JournalEvent;
  data: Record<string, unknown>;
  checksum: string;
}

/** The checksum of an entry: sha256 of its canonical form without the checksum itself. */
export function entryChecksum(entry: Omit<JournalEntry, 'checksum'>): string {
  return checksumOf({ seq: entry.seq, at: entry.at, event: entry.event, data: entry.data });
}

/** A parsed journal: its good entries, and whether its last line is a torn write. */
export interface ParsedJournal {
  entries: JournalEntry[];
  /** 1-based number of the last line, when it is not a valid entry: a write cut short by a crash. */
  badLine?: number;
  /** Bytes of the text holding the good entries, to cut a torn tail at. */
  goodBytes: number;
}

/** The entry a line holds, or why it is not the valid next entry; `polluted` marks tampering, never a torn write. */
function readLine(line: string, expectedSeq: number): { entry: JournalEntry } | { reason: string; polluted: boolean } {
  const json = parseJsonSafely(line);
  if (!json.ok) return json;
  const entry = json.value as JournalEntry;
  if (typeof entry !== 'object' || entry === null || entry.seq !== expectedSeq) return { reason: `expected entry ${expectedSeq}`, polluted: false };
  if (entry.checksum !== entryChecksum(entry)) return { reason: 'checksum mismatch', polluted: false };
  return { entry };
}

/**
 * Parses journal text. Only the last line may be bad (a torn write, which reopening cuts off); a bad line with
 * entries after it, or a line carrying prototype-pollution keys anywhere, means the journal was tampered with:
 * an IntegrityError naming `file` and the line, so nothing after it is lost by a truncation.
 */
export function parseJournal(text: string, file = 'the journal'): ParsedJournal {
  const entries: JournalEntry[] = [];
  const lines = text.split('\n');
  let last = lines.length - 1;
  while (last >= 0 && lines[last] === '') last--;
  // A newline ends every complete entry; a last line without one was cut short.
  const complete = text.endsWith('\n');
  let goodBytes = 0;
  for (let i = 0; i <= last; i++) {
    const line = lines[i] as string;
    const read = readLine(line, entries.length + 1);
    const isLast = i === last;
    if ('entry' in read && (complete || !isLast)) {
      entries.push(read.entry);
      goodBytes += Buffer.byteLength(line) + 1;
      continue;
    }
    if ('entry' in read || (isLast && !read.polluted)) return { entries, badLine: i + 1, goodBytes };
    throw new IntegrityError(`${file} line ${i + 1} is not a valid journal entry (${read.reason})${isLast ? '' : ' and entries follow it'}; refused, nothing was changed`, {
      context: { service: 'workflow', operation: 'read-journal', file, line: i + 1 },
    });
  }
  return { entries, goodBytes };
}
