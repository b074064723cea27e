import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Personality } from '../../dist/index';
import type { Contender, TraitPatch } from '../contender';
import { stamp, type AgentRequest } from '../records';

const TABLES = ['personalities', 'roles', 'agents'] as const;

/** better-sqlite3 as an app would use it for durable records: WAL, synchronous=FULL, one JSON document per row. */
export class SqliteContender implements Contender {
  private file = '';
  private db: Database.Database | undefined;

  async fill(dir: string, personalities: readonly Personality[]): Promise<void> {
    this.file = join(dir, 'agents.db');
    const db = open(this.file);
    for (const table of TABLES) db.exec(`CREATE TABLE ${table} (id TEXT PRIMARY KEY, body TEXT NOT NULL)`);
    const insert = db.prepare('INSERT INTO personalities (id, body) VALUES (?, ?)');
    db.transaction(() => personalities.forEach((p) => insert.run(p.id, JSON.stringify(p))))();
    db.close();
  }

  async openAndList(): Promise<number> {
    this.db = open(this.file);
    const rows = this.db.prepare('SELECT body FROM personalities').pluck().all() as string[];
    return rows.map((body) => JSON.parse(body) as unknown).length;
  }

  async createPersonality(input: AgentRequest['personality']): Promise<void> {
    this.opened().prepare('INSERT INTO personalities (id, body) VALUES (?, ?)').run(input.id, JSON.stringify(stamp(input)));
  }

  async updatePersonality(id: string, patch: TraitPatch): Promise<void> {
    const db = this.opened();
    db.transaction(() => {
      const body = db.prepare('SELECT body FROM personalities WHERE id = ?').pluck().get(id) as string | undefined;
      if (body === undefined) throw new Error(`no personality ${id}`);
      const record = JSON.parse(body) as Personality;
      const updated = { ...record, ...patch, version: record.version + 1, updatedAt: new Date().toISOString() };
      db.prepare('UPDATE personalities SET body = ? WHERE id = ?').run(JSON.stringify(updated), id);
    })();
  }

  async createAgentWithDependencies(request: AgentRequest): Promise<void> {
    const db = this.opened();
    const agent = { ...request.agent, personalityId: request.personality.id, roleId: request.role.id };
    db.transaction(() => {
      db.prepare('INSERT INTO personalities (id, body) VALUES (?, ?)').run(request.personality.id, JSON.stringify(stamp(request.personality)));
      db.prepare('INSERT INTO roles (id, body) VALUES (?, ?)').run(request.role.id, JSON.stringify(stamp(request.role)));
      db.prepare('INSERT INTO agents (id, body) VALUES (?, ?)').run(agent.id, JSON.stringify(stamp(agent)));
    })();
  }

  async agentIds(): Promise<Set<string>> {
    return new Set(this.opened().prepare('SELECT id FROM agents').pluck().all() as string[]);
  }

  async close(): Promise<void> {
    this.db?.close();
    this.db = undefined;
  }

  private opened(): Database.Database {
    if (!this.db) throw new Error('openAndList() opens the database first');
    return this.db;
  }
}

function open(file: string): Database.Database {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  return db;
}
