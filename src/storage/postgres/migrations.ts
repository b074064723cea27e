import type { Pool, PoolClient } from 'pg';
import { AgentcfgError } from '../../domain/errors/agentcfg-error';
import { ErrorCode } from '../../domain/errors/error-code';

/** One step of the schema; applied once, in order, in a transaction of its own. */
interface Migration {
  version: number;
  sql: string;
}

/**
 * The traits of a personality as version 1 knows them, written out (not imported): a migration must say the same
 * thing forever, whatever the code later calls its traits.
 */
const V1_TRAITS = [
  'openness', 'conscientiousness', 'extraversion', 'agreeableness', 'neuroticism', 'formality', 'humor', 'assertiveness', 'empathy',
  'storytelling', 'brevity', 'imagination', 'playfulness', 'dramaticism', 'analyticalDepth', 'contrarianism', 'encouragement', 'curiosity', 'patience',
];

/** A CHECK that a record's numeric field, where given, lies in [low, high]. */
const inRange = (path: string, low: number, high: number) =>
  `CHECK (record #> '{${path}}' IS NULL OR (jsonb_typeof(record #> '{${path}}') = 'number' AND (record #>> '{${path}}')::numeric BETWEEN ${low} AND ${high}))`;

const recordTable = (name: string, extra = '') => `
  CREATE TABLE ${name} (
    id text PRIMARY KEY,
    position bigserial NOT NULL,
    version integer NOT NULL CHECK (version >= 1),
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,${extra}
    record jsonb NOT NULL CHECK (record->>'id' = id AND (record->>'version')::integer = version)
  );`;

/**
 * The schema, versioned. Records are kept whole (jsonb) beside the columns the database checks: ids, versions,
 * and the agents' references, whose foreign keys refuse a delete that would leave an agent dangling (checked at
 * commit, so one commit may change both sides). History, the audit trail and the workflow journals keep the
 * exact JSON text their hashes and checksums were taken of.
 */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    sql: `
      ${recordTable('agentcfg_personalities', V1_TRAITS.map((trait) => `\n        ${inRange(trait, 0, 100)},`).join(''))}
      ${recordTable('agentcfg_roles')}
      ${recordTable('agentcfg_connections')}
      ${recordTable(
        'agentcfg_agents',
        `
        personality_id text NOT NULL REFERENCES agentcfg_personalities (id) DEFERRABLE INITIALLY DEFERRED,
        role_id text NOT NULL REFERENCES agentcfg_roles (id) DEFERRABLE INITIALLY DEFERRED,
        connection_id text REFERENCES agentcfg_connections (id) DEFERRABLE INITIALLY DEFERRED,
        CHECK (record->>'color' ~ '^#[0-9A-Fa-f]{6}$'),
        ${inRange('modelConfig,parameters,temperature', 0, 2)},
        ${inRange('modelConfig,parameters,topP', 0, 1)},`,
      )}
      CREATE TABLE agentcfg_history (
        position bigserial PRIMARY KEY,
        kind text NOT NULL,
        id text NOT NULL,
        record text NOT NULL
      );
      CREATE INDEX agentcfg_history_record ON agentcfg_history (kind, id, position);
      CREATE TABLE agentcfg_revisions (kind text PRIMARY KEY, revision bigint NOT NULL);
      CREATE TABLE agentcfg_audit (
        seq bigint PRIMARY KEY,
        hash text NOT NULL,
        line text NOT NULL
      );
      CREATE TABLE agentcfg_workflows (
        workflow_id text PRIMARY KEY,
        ended boolean NOT NULL DEFAULT false,
        started_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE TABLE agentcfg_journal (
        workflow_id text NOT NULL REFERENCES agentcfg_workflows (workflow_id),
        seq integer NOT NULL,
        line text NOT NULL,
        PRIMARY KEY (workflow_id, seq)
      );`,
  },
  {
    // Personalities gained ten behaviours other tools carry; the database checks their range too.
    version: 2,
    sql: ['metaphorical', 'detailOrientation', 'exampleUsage', 'pedagogical', 'personalness', 'proactiveness', 'riskTaking', 'responseLength', 'randomness', 'focus']
      .map((trait, i) => `ALTER TABLE agentcfg_personalities ADD CONSTRAINT agentcfg_personalities_v2_${i} ${inRange(trait, 0, 100)};`)
      .join('\n'),
  },
  {
    // Access tokens of the HTTP API: hashes only; a name is unique among tokens not revoked.
    version: 3,
    sql: `
      CREATE TABLE agentcfg_tokens (
        position bigserial PRIMARY KEY,
        name text NOT NULL,
        access text NOT NULL CHECK (access IN ('viewer', 'editor', 'admin')),
        hash text NOT NULL UNIQUE CHECK (hash ~ '^[0-9a-f]{64}$'),
        created_at timestamptz NOT NULL,
        created_by text NOT NULL,
        revoked_at timestamptz,
        revoked_by text
      );
      CREATE UNIQUE INDEX agentcfg_tokens_live_name ON agentcfg_tokens (name) WHERE revoked_at IS NULL;`,
  },
];

/** The newest schema this code knows. */
export const SCHEMA_VERSION = Math.max(...MIGRATIONS.map((m) => m.version));

/** Serialises migrations of one database, whoever runs them. */
const MIGRATION_LOCK = 7_420_001;

async function appliedVersion(client: PoolClient): Promise<number> {
  const exists = await client.query<{ t: string | null }>(`SELECT to_regclass('agentcfg_schema') AS t`);
  if (exists.rows[0]?.t === null) return 0;
  const { rows } = await client.query<{ v: number | null }>('SELECT max(version) AS v FROM agentcfg_schema');
  return rows[0]?.v ?? 0;
}

function tooNew(found: number): AgentcfgError {
  return new AgentcfgError(ErrorCode.INTEGRITY_ERROR, `the database's schema is version ${found}, newer than the ${SCHEMA_VERSION} this agentcfg knows; upgrade agentcfg`, {
    context: { service: 'store', operation: 'migrate', schemaVersion: found, knownVersion: SCHEMA_VERSION },
  });
}

/** The schema version the database is at; INTEGRITY_ERROR when it is newer than this code knows. */
export async function schemaVersion(pool: Pool): Promise<number> {
  const client = await pool.connect();
  try {
    const found = await appliedVersion(client);
    if (found > SCHEMA_VERSION) throw tooNew(found);
    return found;
  } finally {
    client.release();
  }
}

/**
 * Applies the migrations the database lacks, each in its own transaction, under a lock so two processes
 * migrating at once apply each step once; says which versions it applied. Needs a role allowed to create tables.
 */
export async function migrate(pool: Pool): Promise<number[]> {
  const client = await pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    try {
      await client.query('CREATE TABLE IF NOT EXISTS agentcfg_schema (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())');
      const found = await appliedVersion(client);
      if (found > SCHEMA_VERSION) throw tooNew(found);
      const applied: number[] = [];
      for (const migration of MIGRATIONS.filter((m) => m.version > found)) {
        await client.query('BEGIN');
        try {
          await client.query(migration.sql);
          await client.query('INSERT INTO agentcfg_schema (version) VALUES ($1)', [migration.version]);
          await client.query('COMMIT');
        } catch (error) {
          await client.query('ROLLBACK');
          throw error;
        }
        applied.push(migration.version);
      }
      return applied;
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]);
    }
  } finally {
    client.release();
  }
}
