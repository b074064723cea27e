import { join } from 'node:path';
import type { Low } from 'lowdb';
import type { Personality } from '../../dist/index';
import type { Contender, TraitPatch } from '../contender';
import { stamp, type AgentRequest } from '../records';

interface Data {
  personalities: Record<string, unknown>[];
  roles: Record<string, unknown>[];
  agents: Record<string, unknown>[];
}

// lowdb 7 is an ES module; a CommonJS caller loads it with import().
async function openLow(file: string): Promise<Low<Data>> {
  const { JSONFilePreset } = await import('lowdb/node');
  return JSONFilePreset<Data>(file, { personalities: [], roles: [], agents: [] });
}

/** lowdb as its README uses it: one JSON file loaded in memory, each change a read-modify-write with db.update (no fsync). */
export class LowdbContender implements Contender {
  private file = '';
  private db: Low<Data> | undefined;

  async fill(dir: string, personalities: readonly Personality[]): Promise<void> {
    this.file = join(dir, 'db.json');
    const db = await openLow(this.file);
    await db.update((data) => void data.personalities.push(...personalities));
  }

  async openAndList(): Promise<number> {
    this.db = await openLow(this.file);
    return this.db.data.personalities.length;
  }

  async createPersonality(input: AgentRequest['personality']): Promise<void> {
    await this.opened().update((data) => void data.personalities.push(stamp(input)));
  }

  async updatePersonality(id: string, patch: TraitPatch): Promise<void> {
    await this.opened().update((data) => {
      const record = data.personalities.find((p) => p.id === id);
      if (!record) throw new Error(`no personality ${id}`);
      Object.assign(record, patch, { version: (record.version as number) + 1, updatedAt: new Date().toISOString() });
    });
  }

  async createAgentWithDependencies(request: AgentRequest): Promise<void> {
    await this.opened().update((data) => {
      data.personalities.push(stamp(request.personality));
      data.roles.push(stamp(request.role));
      data.agents.push(stamp({ ...request.agent, personalityId: request.personality.id, roleId: request.role.id }));
    });
  }

  async agentIds(): Promise<Set<string>> {
    return new Set(this.opened().data.agents.map((agent) => agent.id as string));
  }

  async close(): Promise<void> {
    this.db = undefined;
  }

  private opened(): Low<Data> {
    if (!this.db) throw new Error('openAndList() opens the file first');
    return this.db;
  }
}
