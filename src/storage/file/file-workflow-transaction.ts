import { appendHeld, stampedNow } from '../held-run';
import { Mutex } from 'async-mutex';
import type { StampedEvent } from '../../audit/audit-chain';
import type { AuditEvent } from '../../audit/audit-entry';
import { ConflictError, UnavailableError } from '../../domain/errors/errors';
import type { RecordKind } from '../../domain/record';
import type { RecordOf } from '../../domain/records';
import { deepFreeze } from '../../domain/deep-freeze';
import type { JournalEntry, JournalEvent } from '../../domain/workflow/journal-entry';
import type { Commit, HistoryKeep, StoreReader } from '../record-store';
import type { RecordChange } from './file-service';
import { netChange, type ChangedRecord } from './record-changes';
import type { SecurityContext } from '../../security/security-context';

type Stored = { id: string; version: number };


/** What a finished run stores, all in one commit of the data folder. */
export interface RunChanges {
  /** Each changed kind's change: the records the run put, the ids it deleted. */
  collections: Map<RecordKind, RecordChange<Stored>>;
  history: readonly HistoryKeep[];
  audit: readonly StampedEvent[];
  journal: readonly JournalEntry[];
}

/**
 * One workflow run on a data folder as one transaction: its steps' commits are checked and applied to an overlay of
 * the records in memory (the run reads its own changes through it), its audit entries and journal events held;
 * at the end, under the folder's lock, every record it changed must still be at the version it found (another
 * process may have changed it meanwhile: the run is then lost, nothing of it stored, and run again), and
 * everything is stored in one commit of the folder log. A process that dies before the end leaves nothing.
 */
export class FileWorkflowTransaction {
  readonly entries: JournalEntry[] = [];
  private readonly audit: StampedEvent[] = [];
  private readonly history: HistoryKeep[] = [];
  private readonly changed = new Map<RecordKind, Map<string, ChangedRecord>>();
  /**
   * Each kind's records as the run first read them: its later steps read the same (the run sees one state of the
   * store, plus its own changes), and the records it changed are checked against the store at the end anyway.
   */
  private readonly firstRead = new Map<RecordKind, Promise<readonly Stored[]>>();
  /** Serialises the run's commits and reads: each plans from what the commits before it left. */
  readonly oneAtATime = new Mutex();
  constructor(
    readonly workflowId: string,
    /** Who runs the workflow: the run is stored as them. */
    readonly context: SecurityContext | undefined,
  ) {}

  /** The records as the run sees them: the store's, with the run's own changes over them. */
  view(store: StoreReader): StoreReader {
    const storedOf = (kind: RecordKind): Promise<readonly Stored[]> => {
      let read = this.firstRead.get(kind);
      if (!read) {
        this.firstRead.set(kind, (read = store.records(kind) as Promise<readonly Stored[]>));
        read.catch(() => this.firstRead.delete(kind));
      }
      return read;
    };
    const records = async <K extends RecordKind>(kind: K): Promise<readonly RecordOf<K>[]> => {
      const mine = this.changed.get(kind);
      const stored = await storedOf(kind);
      if (!mine) return stored as unknown as readonly RecordOf<K>[];
      const seen = new Set<string>();
      const items: Stored[] = [];
      for (const record of stored) {
        seen.add(record.id);
        const change = mine.get(record.id);
        if (!change) items.push(record);
        else if (change.record) items.push(change.record);
      }
      for (const [id, change] of mine) if (!seen.has(id) && change.record) items.push(change.record);
      return items as unknown as RecordOf<K>[];
    };
    return {
      records,
      get: async (kind, id) => {
        const change = this.changed.get(kind)?.get(id);
        if (change) return change.record as RecordOf<typeof kind> | null;
        return ((await storedOf(kind)).find((record) => record.id === id) ?? null) as RecordOf<typeof kind> | null;
      },
      history: async (kind, id) => [...(await store.history(kind, id)), ...this.history.filter((h) => h.kind === kind && (h.record as Stored).id === id).map((h) => h.record as RecordOf<typeof kind>)],
    };
  }

  /**
   * Applies a step's commit to the overlay, all or nothing: a record at another version than the commit expects is
   * a CONFLICT, and nothing of the commit is kept. Journal events are appended; returns them as they will be stored.
   */
  async apply(commit: Commit, view: StoreReader): Promise<JournalEntry[]> {
    const staged: { kind: RecordKind; id: string; base: number | null; record: Stored | null }[] = [];
    const pending = new Map<string, Stored | null>();
    const currentOf = async (kind: RecordKind, id: string): Promise<Stored | null> => {
      const key = `${kind}\u0000${id}`;
      if (pending.has(key)) return pending.get(key) ?? null;
      return (await view.get(kind, id)) as Stored | null;
    };
    for (const { kind, record, expectedVersion } of commit.puts ?? []) {
      const current = await currentOf(kind, record.id);
      expectVersion(kind, record.id, current, expectedVersion);
      pending.set(`${kind}\u0000${record.id}`, deepFreeze(record));
      staged.push({ kind, id: record.id, base: current?.version ?? null, record: pending.get(`${kind}\u0000${record.id}`) as Stored });
    }
    for (const { kind, id, expectedVersion } of commit.removals ?? []) {
      const current = await currentOf(kind, id);
      expectVersion(kind, id, current, expectedVersion);
      pending.set(`${kind}\u0000${id}`, null);
      staged.push({ kind, id, base: current?.version ?? null, record: null });
    }
    for (const { kind, id, base, record } of staged) {
      let mine = this.changed.get(kind);
      if (!mine) this.changed.set(kind, (mine = new Map()));
      const earlier = mine.get(id);
      mine.set(id, { base: earlier ? earlier.base : base, record });
    }
    this.history.push(...(commit.history ?? []).map((keep) => ({ kind: keep.kind, record: deepFreeze(keep.record) })));
    this.holdAudit(commit.audit ?? []);
    return commit.journal ? this.holdJournal(commit.journal.events) : [];
  }

  /** Holds audit entries of the run, stamped now, for the end. */
  holdAudit(events: readonly AuditEvent[]): void {
    this.audit.push(...stampedNow(events));
  }

  /** Appends journal events (numbered and checksummed now, stored at the end); returns them as they will be stored. */
  holdJournal(events: readonly { event: JournalEvent; data: Record<string, unknown> }[]): JournalEntry[] {
    return appendHeld(this.entries, events);
  }

  /**
   * What the run stores, planned from the store as it is now (read under the folder's lock): a record another
   * process changed since the run first changed it loses the run (see isLostTransaction).
   */
  async changes(store: StoreReader): Promise<RunChanges> {
    const collections = new Map<RecordKind, RecordChange<Stored>>();
    for (const [kind, mine] of this.changed) {
      // A record the run made and undid again was never stored: nothing of it is written.
      const change = netChange(mine);
      if (change.put.length + change.delete.length === 0) continue;
      const stored = (await store.records(kind)) as readonly Stored[];
      // A scan finds the few records a run usually changes; an index serves a run that changes many.
      const index = mine.size <= 8 ? null : new Map(stored.map((record) => [record.id, record]));
      for (const [id, { base }] of mine) {
        const now = (index ? index.get(id) : stored.find((record) => record.id === id))?.version ?? null;
        if (now !== base) throw this.lost(`${kind} '${id}' was changed by another process while the workflow ran (version ${now ?? 'none'}, not ${base ?? 'none'})`);
      }
      collections.set(kind, change);
    }
    return { collections, history: this.history, audit: this.audit, journal: this.entries };
  }

  private lost(why: string): UnavailableError {
    return new UnavailableError(`workflow ${this.workflowId}'s transaction was lost before it was stored, so nothing of it was: ${why}`, {
      context: { service: 'store', operation: 'workflow.commit', workflowId: this.workflowId, transactionLost: true },
    });
  }
}

/** A CONFLICT, naming the version found, unless the record is at the version the commit expects. */
export function expectVersion(kind: RecordKind, id: string, current: Stored | null, expected: number | null): void {
  if (expected === null && current === null) return;
  if (current !== null && current.version === expected) return;
  const found = current === null ? 'does not exist' : expected === null ? 'already exists' : `is at version ${current.version}, not the expected ${expected}`;
  throw new ConflictError(`${kind} '${id}' ${found}`, current, { context: { service: 'store', operation: 'commit', kind, id, expectedVersion: expected, currentVersion: current?.version ?? null } });
}

/**
 * The workflow transactions open in this process, by workflow id: where a step's commits and audit entries go,
 * whichever object of the store (the record store, the audit log) they are made through.
 */
export const openFileWorkflows = new Map<string, FileWorkflowTransaction>();
