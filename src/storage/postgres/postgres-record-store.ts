import { Pool, type PoolClient } from 'pg';
import type { AuditEntry } from '../../audit/audit-entry';
import { hasErrorCode, isAgentcfgError } from '../../domain/errors/agentcfg-error';
import { ConflictError, ReferenceIntegrityError, UnavailableError } from '../../domain/errors/errors';
import { KINDS, RECORD_KINDS, type RecordKind } from '../../domain/kinds/registry';
import type { RecordOf } from '../../domain/records';
import { deepFreeze } from '../../domain/deep-freeze';
import type { IAccessControl } from '../../security/access-control';
import type { IChangeFeed } from '../change-feed';
import type { DegradableOptions } from '../degradable-store';
import { PollingChangeFeed } from '../polling-change-feed';
import { CHANGES_CHANNEL, ListeningChangeFeed } from './listening-change-feed';
import { HISTORY_LIMIT, type Commit, type CommitOptions, type CommitReceipt, type IRecordStore, type Planned, type StoreReader, type StoredCollection } from '../record-store';
import { migrate, schemaVersion, SCHEMA_VERSION } from './migrations';
import { guardDb, storeError } from './pg-errors';
import { PostgresAuditLog } from './postgres-audit-log';
import { PostgresWorkflowJournals } from './postgres-workflow-journals';

/** Where the store is: a PostgreSQL connection string (`sslmode` and the rest honoured by `pg`). */
export interface PostgresStoreOptions {
  url: string;
  /** Connections in the pool (default 10). */
  maxConnections?: number;
  /** When the breaker in front of the store opens, and for how long (see DegradableStore). */
  breaker?: DegradableOptions;
}

type Stored = { id: string; version: number; createdAt: string; updatedAt: string };

/** How many times a commit whose connection failed before COMMIT is tried in all. */
const COMMIT_ATTEMPTS = 4;

/** Serialises record commits, like the file store's folder lock: a plan's reads see no other commit land. */
const COMMIT_LOCK = 7_420_000;

const TABLES: Readonly<Record<RecordKind, string>> = Object.fromEntries(RECORD_KINDS.map((kind) => [kind, `agentcfg_${KINDS[kind].plural}`])) as Record<RecordKind, string>;

/** The URL without its password, for messages and `location`. */
export function redactedUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'postgres://(unparsable URL)';
  }
}

/** A pool of connections to the store's database. */
export function openPool(options: PostgresStoreOptions): Pool {
  const pool = new Pool({ connectionString: options.url, max: options.maxConnections ?? 10 });
  // A connection the server drops must not crash the process, idle in the pool or checked out between queries:
  // the query in flight fails on its own (and is typed), and the pool opens a new connection for the next one.
  pool.on('error', () => undefined);
  pool.on('connect', (client) => client.on('error', () => undefined));
  return pool;
}

/** The columns an agent's references fill (their foreign keys are the database's own check). */
function referenceColumns(kind: RecordKind, record: Record<string, unknown>): { names: string[]; values: unknown[] } {
  if (kind !== 'agent') return { names: [], values: [] };
  return { names: ['personality_id', 'role_id', 'connection_id'], values: [record.personalityId, record.roleId, record.connectionId ?? null] };
}

/**
 * The record store on PostgreSQL: a table per kind (the record as jsonb beside its id, version and references),
 * record history, the audit trail and workflow journals, each commit one transaction. Versions are checked by the
 * statements themselves (`UPDATE … WHERE version = $expected`); a foreign key refuses what would leave an agent
 * dangling; the audit chain's order is kept by a lock inside the commit's transaction.
 */
export class PostgresRecordStore implements IRecordStore {
  readonly location: string;
  readonly changes: IChangeFeed;
  readonly journals: PostgresWorkflowJournals;

  constructor(
    private readonly pool: Pool,
    readonly audit: PostgresAuditLog,
    private readonly access: IAccessControl,
    options: { changePollMs: number; url: string },
  ) {
    this.location = audit.location;
    this.journals = new PostgresWorkflowJournals(this.pool, async (workflowId, events) => (await this.commit({ journal: { workflowId, events } })).journal);
    this.changes = new ListeningChangeFeed(new PollingChangeFeed((kind) => this.snapshot(kind), options.changePollMs), options.url);
  }

  /** Brings the schema up to date when the role may (the owner's), and refuses a schema newer than this code. */
  async initialize(): Promise<void> {
    await guardDb('initialize', async () => {
      if ((await schemaVersion(this.pool)) === SCHEMA_VERSION) return;
      await migrate(this.pool);
    });
  }

  /** Ends the pool's connections: a process that used the store can then exit. */
  async close(): Promise<void> {
    await this.pool.end();
  }

  async records<K extends RecordKind>(kind: K): Promise<readonly RecordOf<K>[]> {
    return readRecords(this.pool, kind);
  }

  async get<K extends RecordKind>(kind: K, id: string): Promise<RecordOf<K> | null> {
    return readOne(this.pool, kind, id);
  }

  async history<K extends RecordKind>(kind: K, id: string): Promise<RecordOf<K>[]> {
    return readHistory(this.pool, kind, id);
  }

  async inspect<K extends RecordKind>(kind: K): Promise<StoredCollection<RecordOf<K>>> {
    return { file: `${this.location} (table ${TABLES[kind]})`, status: 'ok', items: await this.records(kind) };
  }

  async commit(commit: Commit, options: CommitOptions = {}): Promise<CommitReceipt> {
    return (await this.run(async () => ({ commit, result: undefined }), options, changesRecords(commit))).receipt;
  }

  async transact<T>(plan: (view: StoreReader) => Promise<Planned<T>>, options: CommitOptions = {}): Promise<T> {
    return (await this.run(plan, options, true)).result;
  }

  /**
   * Runs a commit in one transaction. A connection that fails before COMMIT was sent rolled the transaction back
   * with it, so the whole commit is tried again, plan included (a few times, backing off); one that fails after
   * is UNAVAILABLE, for nobody can say whether the commit landed.
   */
  private async run<T>(plan: (view: StoreReader) => Promise<Planned<T>>, options: CommitOptions, writesRecords: boolean): Promise<{ result: T; receipt: CommitReceipt }> {
    if (writesRecords) await this.access.authorize(options.context, 'write', { action: 'store.commit' });
    for (let attempt = 1; ; attempt++) {
      const outcome = await this.attempt(plan, options, writesRecords);
      if ('done' in outcome) {
        if (writesRecords) await this.changes.check().catch(() => undefined);
        return outcome.done;
      }
      const typed = typedCommitError(outcome.error);
      if (!outcome.retryable || attempt >= COMMIT_ATTEMPTS || !hasErrorCode(typed, 'UNAVAILABLE')) throw typed;
      await new Promise((resolve) => setTimeout(resolve, 50 * 2 ** attempt));
    }
  }

  private async attempt<T>(
    plan: (view: StoreReader) => Promise<Planned<T>>,
    options: CommitOptions,
    writesRecords: boolean,
  ): Promise<{ done: { result: T; receipt: CommitReceipt } } | { error: unknown; retryable: boolean }> {
    let client: PoolClient;
    try {
      client = await this.pool.connect();
    } catch (error) {
      return { error, retryable: true };
    }
    let restoreHeld = () => undefined as void;
    let committing = false;
    try {
      await client.query('BEGIN');
      if (writesRecords) await client.query('SELECT pg_advisory_xact_lock($1)', [COMMIT_LOCK]);
      const planned = await plan(viewOf(client));
      const { commit } = planned;
      if (options.signal?.aborted) throw cancelled();
      await this.apply(client, commit);
      const audit = await this.audit.appendIn(client, commit.audit ?? []);
      restoreHeld = audit.restore;
      const journal = commit.journal ? { workflowId: commit.journal.workflowId, entries: await this.journals.appendIn(client, commit.journal.workflowId, commit.journal.events) } : null;
      committing = true;
      await client.query('COMMIT');
      if (journal) this.journals.committed(journal.workflowId, journal.entries);
      client.release();
      return { done: { result: planned.result, receipt: { audit: audit.entries as AuditEntry[], journal: journal?.entries ?? [] } } };
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      restoreHeld();
      // A connection that failed is not handed back to the pool to be used again.
      client.release(isAgentcfgError(error) ? undefined : (error as Error));
      return { error, retryable: !committing && !isAgentcfgError(error) };
    }
  }

  /** Puts, removals and history, in the commit's transaction; a version that does not match is a CONFLICT. */
  private async apply(client: PoolClient, commit: Commit): Promise<void> {
    const touched = new Set<RecordKind>();
    for (const { kind, record, expectedVersion } of commit.puts ?? []) {
      const table = TABLES[kind];
      const stored = record as unknown as Stored & Record<string, unknown>;
      const refs = referenceColumns(kind, stored);
      const values = [stored.id, stored.version, stored.createdAt, stored.updatedAt, JSON.stringify(record), ...refs.values];
      const changed =
        expectedVersion === null
          ? await client.query(
              `INSERT INTO ${table} (id, version, created_at, updated_at, record${refs.names.map((n) => `, ${n}`).join('')})
               VALUES ($1, $2, $3, $4, $5${refs.names.map((_, i) => `, $${6 + i}`).join('')}) ON CONFLICT (id) DO NOTHING`,
              values,
            )
          : await client.query(
              `UPDATE ${table} SET version = $2, created_at = $3, updated_at = $4, record = $5${refs.names.map((n, i) => `, ${n} = $${6 + i}`).join('')}
               WHERE id = $1 AND version = $${6 + refs.names.length}`,
              [...values, expectedVersion],
            );
      if (changed.rowCount !== 1) throw await conflict(client, kind, stored.id, expectedVersion);
      touched.add(kind);
    }
    for (const { kind, id, expectedVersion } of commit.removals ?? []) {
      const removed = await client.query(`DELETE FROM ${TABLES[kind]} WHERE id = $1 AND version = $2`, [id, expectedVersion]);
      if (removed.rowCount !== 1) throw await conflict(client, kind, id, expectedVersion);
      touched.add(kind);
    }
    for (const { kind, record } of commit.history ?? []) {
      const { id } = record as unknown as Stored;
      await client.query('INSERT INTO agentcfg_history (kind, id, record) VALUES ($1, $2, $3)', [kind, id, JSON.stringify(record)]);
      await client.query(
        `DELETE FROM agentcfg_history WHERE kind = $1 AND id = $2 AND position NOT IN
           (SELECT position FROM agentcfg_history WHERE kind = $1 AND id = $2 ORDER BY position DESC LIMIT $3)`,
        [kind, id, HISTORY_LIMIT],
      );
    }
    for (const kind of touched) {
      await client.query('INSERT INTO agentcfg_revisions (kind, revision) VALUES ($1, 1) ON CONFLICT (kind) DO UPDATE SET revision = agentcfg_revisions.revision + 1', [kind]);
    }
    // Delivered to every listening process when (and only if) the transaction commits.
    if (touched.size > 0) await client.query('SELECT pg_notify($1, $2)', [CHANGES_CHANNEL, [...touched].join(',')]);
  }

  /** A kind's records with a revision that moves on every commit touching the kind (for the change feed). */
  private async snapshot(kind: RecordKind): Promise<{ revision: number; items: readonly Stored[] }> {
    return guardDb('read', async () => {
      const client = await this.pool.connect();
      try {
        await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
        const { rows } = await client.query<{ revision: string }>('SELECT revision FROM agentcfg_revisions WHERE kind = $1', [kind]);
        const items = (await readRecords(client, kind)) as unknown as Stored[];
        await client.query('COMMIT');
        return { revision: Number(rows[0]?.revision ?? 0), items };
      } finally {
        client.release();
      }
    });
  }
}

type Queryable = Pick<Pool, 'query'> | PoolClient;

// Records are handed out frozen, as every store does: a caller changing one it read must not believe it changed it.

async function readRecords<K extends RecordKind>(db: Queryable, kind: K): Promise<RecordOf<K>[]> {
  return guardDb('read', async () => (await db.query<{ record: RecordOf<K> }>(`SELECT record FROM ${TABLES[kind]} ORDER BY position`)).rows.map((r) => deepFreeze(r.record)));
}

async function readOne<K extends RecordKind>(db: Queryable, kind: K, id: string): Promise<RecordOf<K> | null> {
  return guardDb('read', async () => {
    const record = (await db.query<{ record: RecordOf<K> }>(`SELECT record FROM ${TABLES[kind]} WHERE id = $1`, [id])).rows[0]?.record;
    return record === undefined ? null : deepFreeze(record);
  });
}

async function readHistory<K extends RecordKind>(db: Queryable, kind: K, id: string): Promise<RecordOf<K>[]> {
  return guardDb('read', async () => (await db.query<{ record: string }>('SELECT record FROM agentcfg_history WHERE kind = $1 AND id = $2 ORDER BY position', [kind, id])).rows.map((r) => deepFreeze(JSON.parse(r.record) as RecordOf<K>)));
}

/** What a plan reads: the transaction's own view. */
function viewOf(client: PoolClient): StoreReader {
  return {
    records: (kind) => readRecords(client, kind),
    get: (kind, id) => readOne(client, kind, id),
    history: (kind, id) => readHistory(client, kind, id),
  };
}

function changesRecords(commit: Commit): boolean {
  return (commit.puts?.length ?? 0) + (commit.removals?.length ?? 0) + (commit.history?.length ?? 0) > 0;
}

async function conflict(client: PoolClient, kind: RecordKind, id: string, expected: number | null): Promise<ConflictError> {
  const current = (await readOne(client, kind, id)) as Stored | null;
  const found = current === null ? 'does not exist' : expected === null ? 'already exists' : `is at version ${current.version}, not the expected ${expected}`;
  return new ConflictError(`${kind} '${id}' ${found}`, current, { context: { service: 'store', operation: 'commit', kind, id, expectedVersion: expected, currentVersion: current?.version ?? null } });
}

function cancelled(): UnavailableError {
  return new UnavailableError('the call was cancelled before the commit; nothing was written', { context: { service: 'store', operation: 'commit' } });
}

/** A foreign key the commit broke is a REFERENCE_ERROR; the rest as storeError says. */
function typedCommitError(error: unknown): unknown {
  const pg = error as { code?: string; constraint?: string; detail?: string } | null;
  if (pg?.code === '23503') {
    return new ReferenceIntegrityError(`the change would leave a reference dangling (${pg.constraint ?? 'a foreign key'})`, [{ path: pg.constraint ?? '', message: 'a record still refers to it, or it refers to one that does not exist' }], {
      cause: error,
      context: { service: 'store', operation: 'commit' },
    });
  }
  return storeError(error, 'commit');
}
