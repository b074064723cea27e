import type { RecordKind } from '../../domain/record';
import type { StoreReader } from '../record-store';
import type { RecordChange } from './file-service';

type Stored = { id: string; version: number };

/** A record a commit changed: the version it had in the store before (null: none), and what it is now (null: gone). */
export interface ChangedRecord {
  base: number | null;
  record: Stored | null;
}

/**
 * What changed records leave as one collection's change: the records put, in the order they were first changed,
 * and the ids of stored records deleted. A record made and removed again is neither.
 */
export function netChange(changed: Iterable<[string, ChangedRecord]>): RecordChange<Stored> {
  const put: Stored[] = [];
  const deleted: string[] = [];
  for (const [id, { base, record }] of changed) {
    if (record) put.push(record);
    else if (base !== null) deleted.push(id);
  }
  return { put, delete: deleted };
}

/** The records one commit changes, kind by kind, read through `view` where the commit has not changed them. */
export class ChangesByKind {
  /** Every record the commit read or changed, by kind, as the commit leaves it. */
  private readonly kinds = new Map<RecordKind, Map<string, ChangedRecord>>();
  /** Of those, the ones it changed (`${kind} ${id}`). */
  private readonly touched = new Set<string>();

  /** The record as the commit leaves it so far: its own change, else the store's. */
  async current(view: StoreReader, kind: RecordKind, id: string): Promise<Stored | null> {
    const change = this.kinds.get(kind)?.get(id);
    if (change) return change.record;
    const stored = (await view.get(kind, id)) as Stored | null;
    this.of(kind).set(id, { base: stored?.version ?? null, record: stored });
    return stored;
  }

  /** Puts `record` (read first through current()). */
  put(kind: RecordKind, record: Stored): void {
    this.changed(kind, record.id).record = record;
  }

  /** Removes the record `id` (read first through current()). */
  remove(kind: RecordKind, id: string): void {
    this.changed(kind, id).record = null;
  }

  /** Each kind's change, for the kinds the commit changed. */
  net(): Map<RecordKind, RecordChange<Stored>> {
    const changes = new Map<RecordKind, RecordChange<Stored>>();
    for (const [kind, records] of this.kinds) {
      const change = netChange([...records].filter(([id]) => this.touched.has(`${kind} ${id}`)));
      if (change.put.length + change.delete.length > 0) changes.set(kind, change);
    }
    return changes;
  }

  private of(kind: RecordKind): Map<string, ChangedRecord> {
    let records = this.kinds.get(kind);
    if (!records) this.kinds.set(kind, (records = new Map()));
    return records;
  }

  private changed(kind: RecordKind, id: string): ChangedRecord {
    const change = this.kinds.get(kind)?.get(id);
    if (!change) throw new Error(`${kind} '${id}' was changed without being read first`);
    this.touched.add(`${kind} ${id}`);
    return change;
  }
}
