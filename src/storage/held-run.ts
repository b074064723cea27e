import type { StampedEvent } from '../audit/audit-chain';
import { shortened, type AuditEvent } from '../audit/audit-entry';
import { entryChecksum, type JournalEntry, type JournalEvent } from '../domain/workflow/journal-entry';

/**
 * What a workflow run as one transaction holds until it is stored, the same on every store: its audit entries
 * stamped when they happened, and its journal entries numbered and checksummed as they will be written.
 */

/** Audit entries stamped now, to be chained when the run is stored. */
export function stampedNow(events: readonly AuditEvent[]): StampedEvent[] {
  const at = new Date().toISOString();
  return events.map((event) => ({ at, event: shortened(event) }));
}

/** Appends journal events to `entries` (numbered after them, checksummed); returns them as they will be stored. */
export function appendHeld(entries: JournalEntry[], events: readonly { event: JournalEvent; data: Record<string, unknown> }[]): JournalEntry[] {
  return events.map(({ event, data }) => {
    const unsigned = { seq: entries.length + 1, at: new Date().toISOString(), event, data };
    // Through JSON, so later changes to the objects handed in cannot change what the journal says.
    const entry = JSON.parse(JSON.stringify({ ...unsigned, checksum: entryChecksum(unsigned) })) as JournalEntry;
    entries.push(entry);
    return entry;
  });
}
