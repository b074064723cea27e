import { Pool } from 'pg';
import type { Personality } from '../../dist/index';
import type { Contender, TraitPatch } from '../contender';
import { stamp, type AgentRequest } from '../records';
import { postgresUrls, withClient } from './postgres-env';

const TABLES = ['personalities', 'roles', 'agents'] as const;

/**
 * `pg` as an app would use it for durable records: one jsonb row per record in a table per kind, a pool of 10
 * connections (agentcfg's default), PostgreSQL's default durability (fsync and synchronous_commit on). create =
 * one INSERT, update = SELECT … FOR UPDATE + UPDATE in a transaction, create-agent = 3 INSERTs in one transaction.
 */
export class PgContender implements Contender {
  private url = '';
  private pool: Pool | undefined;

  /** The tables made again by the database owner (so the round starts empty), then filled in one statement. */
  async fill(_dir: string, personalities: readonly Personality[]): Promise<void> {
    const { url, ownerUrl } = postgresUrls();
    this.url = url;
    await withClient(ownerUrl, async (client) => {
      await client.query(`DROP TABLE IF EXISTS ${TABLES.join(', ')}`);
      for (const table of TABLES) await client.query(`CREATE TABLE ${table} (id text PRIMARY KEY, body jsonb NOT NULL)`);
      await client.query("INSERT INTO personalities (id, body) SELECT r->>'id', r FROM jsonb_array_elements($1::jsonb) AS r", [JSON.stringify(personalities)]);
    });
  }

  async openAndList(): Promise<number> {
    this.pool = openPool(this.url);
    // pg parses jsonb into objects, as the other contenders JSON.parse their rows.
    const { rows } = await this.pool.query<{ body: Personality }>('SELECT body FROM personalities');
    return rows.length;
  }

  async createPersonality(input: AgentRequest['personality']): Promise<void> {
    await this.opened().query('INSERT INTO personalities (id, body) VALUES ($1, $2)', [input.id, JSON.stringify(stamp(input))]);
  }

  async updatePersonality(id: string, patch: TraitPatch): Promise<void> {
    await this.transaction(async (query) => {
      const { rows } = await query<{ body: Personality }>('SELECT body FROM personalities WHERE id = $1 FOR UPDATE', [id]);
      const record = rows[0]?.body;
      if (record === undefined) throw new Error(`no personality ${id}`);
      const updated = { ...record, ...patch, version: record.version + 1, updatedAt: new Date().toISOString() };
      await query('UPDATE personalities SET body = $2 WHERE id = $1', [id, JSON.stringify(updated)]);
    });
  }

  async createAgentWithDependencies(request: AgentRequest): Promise<void> {
    const agent = { ...request.agent, personalityId: request.personality.id, roleId: request.role.id };
    await this.transaction(async (query) => {
      await query('INSERT INTO personalities (id, body) VALUES ($1, $2)', [request.personality.id, JSON.stringify(stamp(request.personality))]);
      await query('INSERT INTO roles (id, body) VALUES ($1, $2)', [request.role.id, JSON.stringify(stamp(request.role))]);
      await query('INSERT INTO agents (id, body) VALUES ($1, $2)', [agent.id, JSON.stringify(stamp(agent))]);
    });
  }

  async agentIds(): Promise<Set<string>> {
    const { rows } = await this.opened().query<{ id: string }>('SELECT id FROM agents');
    return new Set(rows.map((row) => row.id));
  }

  sharedLocation(): string {
    return this.url;
  }

  async attach(location: string): Promise<void> {
    this.url = location;
    this.pool = openPool(location);
  }

  async close(): Promise<void> {
    await this.pool?.end();
    this.pool = undefined;
  }

  /** BEGIN, `work`, COMMIT on one pooled connection; ROLLBACK if `work` fails. */
  private async transaction(work: (query: <R extends object>(text: string, values: unknown[]) => Promise<{ rows: R[] }>) => Promise<void>): Promise<void> {
    const client = await this.opened().connect();
    try {
      await client.query('BEGIN');
      await work((text, values) => client.query(text, values));
      await client.query('COMMIT');
      client.release();
    } catch (error) {
      // A connection that cannot even roll back is not handed back to the pool.
      const rolledBack = await client.query('ROLLBACK').then(() => true, () => false);
      client.release(rolledBack ? undefined : (error as Error));
      throw error;
    }
  }

  private opened(): Pool {
    if (!this.pool) throw new Error('openAndList() opens the database first');
    return this.pool;
  }
}

function openPool(url: string): Pool {
  const pool = new Pool({ connectionString: url, max: 10 });
  pool.on('error', () => undefined);
  return pool;
}
