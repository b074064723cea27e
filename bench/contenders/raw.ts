import { promises as fsp } from 'node:fs';
import { join } from 'node:path';
import type { Personality } from '../../dist/index';
import type { Contender, TraitPatch } from '../contender';
import { stamp, type AgentRequest } from '../records';

type Kind = 'personalities' | 'roles' | 'agents';

/** One record as it sits inside a collection file, two-space indented like agentcfg's files. */
function encode(record: object): string {
  return `    ${JSON.stringify(record, null, 2).replace(/\n/g, '\n    ')}`;
}

/** The physical floor: write temp, fsync, rename over, fsync the folder. No lock, no journal, no audit. */
async function replaceDurably(dir: string, name: string, text: string): Promise<void> {
  const temp = join(dir, `.${name}.tmp`);
  const handle = await fsp.open(temp, 'w');
  try {
    await handle.writeFile(text);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await fsp.rename(temp, join(dir, name));
  const folder = await fsp.open(dir, 'r');
  try {
    await folder.sync();
  } finally {
    await folder.close();
  }
}

/**
 * A raw durable replace of collection files of the same bytes as agentcfg's: records are kept already encoded,
 * so a change costs joining them and the I/O, nothing more. Writes are queued, since nothing else guards the files.
 */
export class RawFileContender implements Contender {
  private dir = '';
  private files = new Map<Kind, Map<string, string>>();
  private queue: Promise<unknown> = Promise.resolve();

  async fill(dir: string, personalities: readonly Personality[]): Promise<void> {
    this.dir = dir;
    this.files = new Map([['personalities', new Map(personalities.map((p) => [p.id, encode(p)]))], ['roles', new Map()], ['agents', new Map()]]);
    for (const kind of this.files.keys()) await this.write(kind);
  }

  async openAndList(): Promise<number> {
    const text = await fsp.readFile(join(this.dir, 'personalities.json'), 'utf8');
    return (JSON.parse(text) as { personalities: unknown[] }).personalities.length;
  }

  async createPersonality(input: AgentRequest['personality']): Promise<void> {
    await this.serially(async () => {
      this.collection('personalities').set(input.id, encode(stamp(input)));
      await this.write('personalities');
    });
  }

  async updatePersonality(id: string, patch: TraitPatch): Promise<void> {
    await this.serially(async () => {
      const personalities = this.collection('personalities');
      const current = personalities.get(id);
      if (current === undefined) throw new Error(`no personality ${id}`);
      const record = JSON.parse(current) as Personality;
      personalities.set(id, encode({ ...record, ...patch, version: record.version + 1, updatedAt: new Date().toISOString() }));
      await this.write('personalities');
    });
  }

  async createAgentWithDependencies(request: AgentRequest): Promise<void> {
    await this.serially(async () => {
      this.collection('personalities').set(request.personality.id, encode(stamp(request.personality)));
      this.collection('roles').set(request.role.id, encode(stamp(request.role)));
      const agent = { ...request.agent, personalityId: request.personality.id, roleId: request.role.id };
      this.collection('agents').set(agent.id, encode(stamp(agent)));
      for (const kind of ['personalities', 'roles', 'agents'] as const) await this.write(kind);
    });
  }

  async agentIds(): Promise<Set<string>> {
    const text = await fsp.readFile(join(this.dir, 'agents.json'), 'utf8');
    return new Set((JSON.parse(text) as { agents: { id: string }[] }).agents.map((agent) => agent.id));
  }

  async close(): Promise<void> {
    await this.queue;
  }

  private collection(kind: Kind): Map<string, string> {
    const records = this.files.get(kind);
    if (!records) throw new Error(`no collection ${kind}`);
    return records;
  }

  private write(kind: Kind): Promise<void> {
    const records = [...this.collection(kind).values()];
    return replaceDurably(this.dir, `${kind}.json`, `{\n  "${kind}": [\n${records.join(',\n')}\n  ]\n}\n`);
  }

  private serially<T>(work: () => Promise<T>): Promise<T> {
    const run = this.queue.then(work);
    this.queue = run.catch(() => undefined);
    return run;
  }
}
