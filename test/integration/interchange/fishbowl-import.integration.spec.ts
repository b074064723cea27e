import { expect } from 'chai';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { hashConfigFiles } from '../../support/disk';
import { runCliInProcess } from '../../support/run-cli-in-process';
import { makeTempDir } from '../../support/test-container';

const FIXTURES = join(__dirname, '..', '..', 'fixtures', 'interchange');
const FOLDER = join(FIXTURES, 'fishbowl', 'folder');

interface Report {
  format: string;
  records: { kind: string; id: string; mapped: { from: string; to: string }[]; kept: string[]; dropped: unknown[]; defaulted: { field: string; value: unknown }[] }[];
}

async function json<T>(args: string[], stdin?: string): Promise<{ code: number | null; body: T }> {
  const run = await runCliInProcess(['--json', ...args], stdin === undefined ? {} : { stdin });
  return { code: run.code, body: JSON.parse(run.stdout) as T };
}

async function freshFolder(): Promise<string> {
  const dir = join(await makeTempDir(), 'data');
  expect((await runCliInProcess(['--dir', dir, 'init'])).code).to.equal(0);
  return dir;
}

describe('Feature: `agentcfg import` brings in a Fishbowl settings folder, or one of its files', function () {
  it('a settings folder, detected by its content, becomes personalities, roles, connections and agents, with the report', async function () {
    const dir = await freshFolder();
    const { code, body } = await json<{ data: { format: string; personalities: number; roles: number; connections: number; agents: number; report: Report } }>(['--dir', dir, 'import', FOLDER]);
    expect(code).to.equal(0);
    expect(body.data).to.include({ format: 'fishbowl', personalities: 2, roles: 2, connections: 2, agents: 2 });

    const source = JSON.parse(await readFile(join(FOLDER, 'personalities.json'), 'utf8')) as { personalities: { id: string; behaviors: Record<string, number>; customInstructions: string }[] };
    for (const p of source.personalities) {
      const { body: stored } = await json<{ data: Record<string, unknown> }>(['--dir', dir, 'personality', 'get', p.id]);
      const kept = (stored.data.extensions as { fishbowl?: { behaviors?: Record<string, number> } } | undefined)?.fishbowl?.behaviors ?? {};
      // Every score kept exactly: whole numbers as traits, any other in extensions.
      for (const [key, value] of Object.entries(p.behaviors)) expect(Number.isInteger(value) ? stored.data[key] : kept[key], `${p.id}.${key}`).to.equal(value);
      expect(stored.data.customInstructions ?? '').to.equal(p.customInstructions);
    }
    const { body: agent } = await json<{ data: Record<string, unknown> }>(['--dir', dir, 'agent', 'get', 'agent-reviewer']);
    expect(agent.data).to.deep.include({
      personalityId: 'b6f1c2de-0a4e-4c1e-9a51-3f0c2d9e7a10',
      roleId: 'code-reviewer',
      connectionId: 'cfg-anthropic',
      modelConfig: { provider: 'anthropic', modelId: 'claude-sonnet-4-20250514', parameters: { temperature: 0.7 } },
      color: '#6B7280',
    });
    expect((agent.data.extensions as { fishbowl: Record<string, unknown> }).fishbowl).to.deep.include({ systemPrompt: 'Always end with a one-line verdict.', personalityBehaviors: { humor: -50, brevity: 80, focus: 100 } });
    const { body: connection } = await json<{ data: Record<string, unknown> }>(['--dir', dir, 'connection', 'get', 'cfg-anthropic']);
    expect(connection.data).to.deep.include({ name: 'Anthropic via proxy', provider: 'anthropic', baseUrl: 'https://llm-proxy.example.com/anthropic' });
    expect((await runCliInProcess(['--dir', dir, 'agent', 'resolve', 'agent-reviewer'])).code).to.equal(0);

    const reviewer = body.data.report.records.find((r) => r.id === 'agent-reviewer');
    expect(reviewer?.defaulted).to.deep.include({ field: 'color', value: '#6B7280', why: 'Fishbowl agents have no colour' });
    expect(reviewer?.kept).to.include.members(['systemPrompt', 'personalityBehaviors']);
    expect(body.data.report.records.map((r) => `${r.kind}:${r.id}`).sort()).to.deep.equal(
      ['agent:agent-host', 'agent:agent-reviewer', 'connection:cfg-anthropic', 'connection:cfg-openai', 'personality:b6f1c2de-0a4e-4c1e-9a51-3f0c2d9e7a10', 'personality:the-sage', 'role:code-reviewer', 'role:facilitator'].sort(),
    );
    expect((await runCliInProcess(['--dir', dir, 'verify'])).code).to.equal(0);
  });

  it('--dry-run prints the report and leaves the folder byte-identical; a second import is a CONFLICT that changes nothing', async function () {
    const dir = await freshFolder();
    const before = await hashConfigFiles(dir);
    const dry = await json<{ data: { dryRun: boolean; report: Report } }>(['--dir', dir, 'import', '--dry-run', FOLDER]);
    expect(dry.code).to.equal(0);
    expect(dry.body.data.dryRun).to.equal(true);
    expect(dry.body.data.report.records).to.have.length(8);
    expect(await hashConfigFiles(dir)).to.deep.equal(before);

    expect((await runCliInProcess(['--dir', dir, 'import', FOLDER])).code).to.equal(0);
    const imported = await hashConfigFiles(dir);
    const again = await runCliInProcess(['--dir', dir, '--json', 'import', FOLDER]);
    expect(again.code, again.stdout).to.equal(5);
    expect(await hashConfigFiles(dir)).to.deep.equal(imported);
  });

  it('one file alone imports its records: the older layout\'s personalities keep every score', async function () {
    const dir = await freshFolder();
    const file = join(FIXTURES, 'fishbowl', 'legacy-personalities.json');
    const { code, body } = await json<{ data: { personalities: number; agents: number; report: Report } }>(['--dir', dir, 'import', '--from', 'fishbowl', file]);
    expect(code).to.equal(0);
    expect(body.data).to.include({ personalities: body.data.report.records.length, agents: 0 });
    const source = JSON.parse(await readFile(file, 'utf8')) as { personalities: { id: string; bigFive: Record<string, number>; behaviors: Record<string, number> }[] };
    for (const p of source.personalities) {
      const { body: stored } = await json<{ data: Record<string, unknown> & { extensions?: { fishbowl?: { behaviors?: Record<string, number> } } } }>(['--dir', dir, 'personality', 'get', p.id]);
      for (const [key, value] of Object.entries({ ...p.bigFive, ...p.behaviors })) {
        expect(stored.data[key] ?? stored.data.extensions?.fishbowl?.behaviors?.[key], `${p.id}.${key}`).to.equal(value);
      }
    }
  });

  it('an unknown file is refused naming the formats agentcfg reads, changing nothing', async function () {
    const dir = await freshFolder();
    const before = await hashConfigFiles(dir);
    const unknown = await json<{ error: { code: string; message: string } }>(['--dir', dir, 'import', '-'], 'just some text\n');
    expect(unknown.code).to.equal(3);
    for (const format of ['Fishbowl', 'character card', 'CrewAI', 'Letta', 'bundle']) expect(unknown.body.error.message).to.contain(format);
    expect(await hashConfigFiles(dir)).to.deep.equal(before);
  });
});
