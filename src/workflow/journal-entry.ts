import { checksumOf } from '../storage/canonical-json';

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

/** A parsed journal: its good entries, and where the first bad line is (a torn last write, usually). */
export interface ParsedJournal {
  entries: JournalEntry[];
  /** 1-based number of the first line that is not a valid entry. */
  badLine?: number;
  /** Bytes of the text holding the good entries, to cut a torn tail at. */
  goodBytes: number;
}

/** Parses journal text. A torn or tampered line ends the readable journal there, and is reported. */
export function parseJournal(text: string): ParsedJournal {
  const entries: JournalEntry[] = [];
  const lines = text.split('\n');
  let goodBytes = 0;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    const isLast = i === lines.length - 1;
    if (line === '' && isLast) break;
    try {
      const entry = JSON.parse(line) as JournalEntry;
      if (isLast || entry.seq !== entries.length + 1 || entry.checksum !== entryChecksum(entry)) return { entries, badLine: i + 1, goodBytes };
      entries.push(entry);
      goodBytes += Buffer.byteLength(line) + 1;
    } catch {
      return { entries, badLine: i + 1, goodBytes };
    }
  }
  return { entries, goodBytes };
}
