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
import { HISTORY_LIMIT, type Commit, type CommitOptions, type CommitReceipt, type IRecordStore, type Planned, type ReadOptions, type StoreReader, type StoredCollection } from '../record-store';
import { migrate, schemaVersion, SCHEMA_VERSION } from './migrations';
import { guardDb, storeError } from './pg-errors';
import { PostgresAuditLog } from './postgres-audit-log';
import { PostgresWorkflowJournals } from './postgres-workflow-journals';
import { openWorkflowTransactions, type WorkflowTransaction } from './workflow-transaction';

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

/** How many times a plan whose record changed under it is planned again before its CONFLICT stands. */
const REPLANS = 3;

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
    this.journals = new PostgresWorkflowJournals(this.pool, async (workflowId, events) => (await this.commit({ journal: { workflowId, events } })).journal, {
      open: openWorkflowTransactions,
      finish: { audit: (client, held) => audit.appendStampedIn(client, held), announce: (client, touched) => announce(client, touched) },
      stored: () => this.changes.check().catch(() => undefined),
    });
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

  async get<K extends RecordKind>(kind: K, id: string, options: ReadOptions = {}): Promise<RecordOf<K> | null> {
    const workflow = this.workflowOf(options.workflowId);
    return workflow ? workflow.read((client) => readOne(client, kind, id)) : readOne(this.pool, kind, id);
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
    return (await this.run(plan, options, true, true)).result;
  }

  /**
   * Runs a commit in one transaction. A connection that fails before COMMIT was sent rolled the transaction back
   * with it, so the whole commit is tried again, plan included (a few times, backing off); one that fails after
   * is UNAVAILABLE, for nobody can say whether the commit landed. A plan (`replannable`) that finds its record
   * changed by then is planned again from what is there now (a workflow's transaction, which takes no commit lock,
   * may change a record between a plan's read and its write): the record service then merges, or refuses, by the
   * caller's strategy, as it would have had the plan read the newer version.
   */
  private async run<T>(plan: (view: StoreReader) => Promise<Planned<T>>, options: CommitOptions, writesRecords: boolean, replannable = false): Promise<{ result: T; receipt: CommitReceipt }> {
    if (writesRecords) await this.access.authorize(options.context, 'write', { action: 'store.commit' });
    // Listeners that subscribed before this commit are told about it, however fast it lands.
    if (writesRecords) await this.changes.settled();
    const workflow = this.workflowOf(options.workflowId);
    if (workflow) return this.runIn(workflow, plan, options, replannable);
    for (let attempt = 1, replanned = 0; ; attempt++) {
      const outcome = await this.attempt(plan, options, writesRecords);
      if ('done' in outcome) {
        if (writesRecords) await this.changes.check().catch(() => undefined);
        return outcome.done;
      }
      const typed = typedCommitError(outcome.error);
      if (replannable && isVersionRace(typed) && replanned++ < REPLANS) continue;
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
      await announce(client, await this.apply(client, commit));
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

  /** The open transaction of a workflow this process runs as one, if `workflowId` names one. */
  private workflowOf(workflowId: string | undefined): WorkflowTransaction | undefined {
    return workflowId === undefined ? undefined : openWorkflowTransactions.get(workflowId);
  }

  /**
   * A commit inside a workflow's transaction: planned and applied there, its audit entries and journal events held
   * for the transaction's end. Nothing of it is visible to anyone else until the workflow is stored.
   */
  private async runIn<T>(workflow: WorkflowTransaction, plan: (view: StoreReader) => Promise<Planned<T>>, options: CommitOptions, replannable: boolean): Promise<{ result: T; receipt: CommitReceipt }> {
    for (let replanned = 0; ; replanned++) {
      try {
        return await workflow.run(async (client) => {
          const planned = await plan(viewOf(client));
          const { commit } = planned;
          if (options.signal?.aborted) throw cancelled();
          const touched = await this.apply(client, commit);
          workflow.holdAudit(commit.audit ?? []);
          const journal = commit.journal ? workflow.holdJournal(commit.journal.events) : [];
          return { result: { result: planned.result, receipt: { audit: [], journal } }, touched };
        });
      } catch (error) {
        const typed = typedCommitError(error);
        if (!replannable || !isVersionRace(typed) || replanned >= REPLANS) throw typed;
      }
    }
  }

  /**
   * Puts, removals and history, in the commit's transaction; a version that does not match is a CONFLICT. New
   * records of a kind go in one statement, and so does the history (a large commit, an import, is a few round
   * trips, not one per record). Returns the kinds changed.
   */
  private async apply(client: PoolClient, commit: Commit): Promise<Set<RecordKind>> {
    const touched = new Set<RecordKind>();
    const created = new Map<RecordKind, Stored[]>();
    for (const { kind, record, expectedVersion } of commit.puts ?? []) {
      // Frozen as stored, as every store hands records out: the caller keeps the object it committed.
      deepFreeze(record);
      touched.add(kind);
      const stored = record as unknown as Stored & Record<string, unknown>;
      if (expectedVersion === null) {
        created.set(kind, [...(created.get(kind) ?? []), stored]);
        continue;
      }
      const refs = referenceColumns(kind, stored);
      const changed = await client.query(
        `UPDATE ${TABLES[kind]} SET version = $2, created_at = $3, updated_at = $4, record = $5${refs.names.map((n, i) => `, ${n} = $${6 + i}`).join('')}
         WHERE id = $1 AND version = $${6 + refs.names.length}`,
        [stored.id, stored.version, stored.createdAt, stored.updatedAt, JSON.stringify(record), ...refs.values, expectedVersion],
      );
      if (changed.rowCount !== 1) throw await conflict(client, kind, stored.id, expectedVersion);
    }
    for (const [kind, records] of created) await insertNew(client, kind, records);
    for (const { kind, id, expectedVersion } of commit.removals ?? []) {
      const removed = await client.query(`DELETE FROM ${TABLES[kind]} WHERE id = $1 AND version = $2`, [id, expectedVersion]);
      if (removed.rowCount !== 1) throw await conflict(client, kind, id, expectedVersion);
      touched.add(kind);
    }
    const history = commit.history ?? [];
    if (history.length > 0) {
      const kinds = history.map((h) => h.kind);
      const ids = history.map((h) => (h.record as unknown as Stored).id);
      await client.query('INSERT INTO agentcfg_history (kind, id, record) SELECT kind, id, record FROM unnest($1::text[], $2::text[], $3::text[]) WITH ORDINALITY AS h(kind, id, record, n) ORDER BY n', [
        kinds,
        ids,
        history.map((h) => JSON.stringify(h.record)),
      ]);
      // Only the last HISTORY_LIMIT versions of each record stay.
      await client.query(
        `DELETE FROM agentcfg_history WHERE position IN (
           SELECT position FROM (
             SELECT position, row_number() OVER (PARTITION BY kind, id ORDER BY position DESC) AS newer
             FROM agentcfg_history WHERE (kind, id) IN (SELECT * FROM unnest($1::text[], $2::text[]))) AS ranked
           WHERE newer > $3)`,
        [kinds, ids, HISTORY_LIMIT],
      );
    }
    return touched;
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

/**
 * Moves on the revision of each kind changed (what the change feed compares), and tells listening processes: one
 * statement, for every statement is a round trip inside the commit's transaction.
 */
async function announce(client: PoolClient, touched: ReadonlySet<RecordKind>): Promise<void> {
  if (touched.size === 0) return;
  const kinds = [...touched];
  // The notification is delivered to every listening process when (and only if) the transaction commits.
  await client.query(
    `WITH bumped AS (
       INSERT INTO agentcfg_revisions (kind, revision) SELECT unnest($1::text[]), 1
       ON CONFLICT (kind) DO UPDATE SET revision = agentcfg_revisions.revision + 1 RETURNING kind)
     SELECT pg_notify($2, $3) FROM (SELECT count(*) FROM bumped) AS done`,
    [kinds, CHANGES_CHANNEL, kinds.join(',')],
  );
}

/**
 * Inserts new records of one kind in one statement, in the order given (their positions); CONFLICT naming the first
 * whose id is taken (or given twice).
 */
async function insertNew(client: PoolClient, kind: RecordKind, records: readonly Stored[]): Promise<void> {
  const refs = records.map((r) => referenceColumns(kind, r as unknown as Record<string, unknown>));
  const names = refs[0]?.names ?? [];
  const columns = [
    records.map((r) => r.id),
    records.map((r) => r.version),
    records.map((r) => r.createdAt),
    records.map((r) => r.updatedAt),
    records.map((r) => JSON.stringify(r)),
    ...names.map((_, i) => refs.map((ref) => ref.values[i] ?? null)),
  ];
  const types = ['text', 'integer', 'timestamptz', 'timestamptz', 'jsonb', ...names.map(() => 'text')];
  const { rows } = await client.query<{ id: string }>(
    `INSERT INTO ${TABLES[kind]} (id, version, created_at, updated_at, record${names.map((n) => `, ${n}`).join('')})
     SELECT ${['id', 'version', 'created_at', 'updated_at', 'record', ...names].join(', ')}
     FROM unnest(${types.map((t, i) => `$${i + 1}::${t}[]`).join(', ')}) WITH ORDINALITY
       AS r(${['id', 'version', 'created_at', 'updated_at', 'record', ...names].join(', ')}, n)
     ORDER BY n
     ON CONFLICT (id) DO NOTHING RETURNING id`,
    columns,
  );
  if (rows.length === records.length) return;
  const inserted = rows.map((r) => r.id);
  const refused = records.find((r) => {
    const at = inserted.indexOf(r.id);
    if (at === -1) return true;
    inserted.splice(at, 1);
    return false;
  });
  throw await conflict(client, kind, refused?.id ?? '', null);
}

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

/** The store found a record at another version than the plan read (not a refusal of the record service's own). */
function isVersionRace(error: unknown): boolean {
  return hasErrorCode(error, 'CONFLICT') && error.context.service === 'store';
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
