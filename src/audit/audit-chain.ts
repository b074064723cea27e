import { auditHash, GENESIS_HASH, type AuditEntry, type AuditEvent } from './audit-entry';

/** What the log's head file says: how many entries were written and the last one's hash. */
export interface AuditHead {
  entries: number;
  hash: string;
}

/** The result of checking the chain: clean, or the first line that is wrong and why. */
export interface AuditVerification {
  ok: boolean;
  /** Entries that verified. */
  entries: number;
  /** 1-based line of the first bad entry (one past the end when entries are missing at the end). */
  badLine?: number;
  problem?: string;
}

function isEntry(value: unknown): value is AuditEntry {
  const v = value as Partial<AuditEntry> | null;
  return typeof v === 'object' && v !== null && typeof v.seq === 'number' && typeof v.prev === 'string' && typeof v.hash === 'string';
}

/**
 * Walks the chain line by line. An edited line no longer matches its hash; a deleted, inserted or moved line
 * breaks the sequence or the link to the line before; lines cut off the end leave fewer entries than the head
 * recorded. The first such line is named. A last line without its line end that the head does not count is an
 * append a crash or power cut interrupted (the head is written only after a line is on disk, and the change it
 * audits was never made): it is not part of the chain, and the next append cuts it off. One the head counts was
 * cut short by someone.
 */
export function verifyAuditChain(text: string, head: AuditHead | null): AuditVerification {
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  else {
    const n = lines.length;
    if (head && head.entries >= n) return { ok: false, entries: n - 1, badLine: n, problem: `line ${n} is cut short (no line end)` };
    lines.pop(); // an interrupted append
  }
  let prev = GENESIS_HASH;
  for (const [index, line] of lines.entries()) {
    const lineNo = index + 1;
    const bad = (problem: string): AuditVerification => ({ ok: false, entries: index, badLine: lineNo, problem: `line ${lineNo}: ${problem}` });
    let entry: unknown;
    try {
      entry = JSON.parse(line);
    } catch {
      return bad('is not a JSON entry');
    }
    if (!isEntry(entry)) return bad('is not an audit entry');
    if (entry.hash !== auditHash(entry)) return bad('was edited (its hash does not match its content)');
    if (entry.seq !== lineNo) return bad(`holds entry ${entry.seq} where entry ${lineNo} belongs (an entry was deleted, inserted or moved)`);
    if (entry.prev !== prev) return bad('does not follow the entry before it (an entry was deleted, inserted or moved)');
    if (entry.action === 'audit.tampered' && typeof entry.tamperedLine === 'number') {
      // Tampering found at the end of the log by a later write, recorded there rather than written over.
      const line = entry.tamperedLine;
      return { ok: false, entries: Math.min(index, line - 1), badLine: line, problem: `line ${line}: ${entry.reason ?? 'was tampered with'} (found before entry ${lineNo} was written)` };
    }
    prev = entry.hash;
  }
  if (head && head.entries > lines.length) {
    return { ok: false, entries: lines.length, badLine: lines.length + 1, problem: `line ${lines.length + 1}: missing; the log was cut after ${lines.length} of ${head.entries} entries` };
  }
  if (head && head.entries > 0 && head.entries <= lines.length) {
    const recorded = JSON.parse(lines[head.entries - 1] as string) as AuditEntry;
    if (recorded.hash !== head.hash) {
      return { ok: false, entries: head.entries - 1, badLine: head.entries, problem: `line ${head.entries}: is not the entry the log recorded there` };
    }
  }
  return { ok: true, entries: lines.length };
}

/** An event and the time it happened (a held transition is written later than that). */
export interface StampedEvent {
  at: string;
  event: AuditEvent;
}

/** The entries that follow the chain's end (`seq`, `hash`: 0 and GENESIS_HASH for an empty log), one per event. */
export function chainAfter(end: { seq: number; hash: string }, events: readonly StampedEvent[]): AuditEntry[] {
  let { seq, hash } = end;
  return events.map(({ at, event }) => {
    const unsigned = { seq: seq + 1, at, ...event, prev: hash };
    const entry: AuditEntry = { ...unsigned, hash: auditHash(unsigned) };
    ({ seq, hash } = entry);
    return entry;
  });
}
