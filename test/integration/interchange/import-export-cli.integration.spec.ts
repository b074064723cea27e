import { expect } from 'chai';
import { readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'yaml';
import { createConfigurationService, readImport, writeExport } from '../../../src/index';
import { readCardPng } from '../../../src/interchange/card/png-card';
import { hashTree } from '../../support/disk';
import { runCliInProcess } from '../../support/run-cli-in-process';
import { makeTempDir } from '../../support/test-container';

const FIXTURES = join(__dirname, '..', '..', 'fixtures', 'interchange');

/** One source of each format, as a user would hand it over. */
const SOURCES = [
  { format: 'fishbowl', path: join(FIXTURES, 'fishbowl', 'folder') },
  { format: 'card', path: join(FIXTURES, 'card', 'card-v2.png') },
  { format: 'card', path: join(FIXTURES, 'card', 'card-v3.json') },
  { format: 'crewai', path: join(FIXTURES, 'crewai', 'agents.yaml') },
  { format: 'letta', path: join(FIXTURES, 'letta', 'agent-file.af') },
] as const;

type Counts = { personalities: number; roles: number; connections: number; agents: number };
type Imported = Counts & { format: string; conflicts: { kind: string; id: string; resolution: string; newId?: string }[]; report?: { format: string; records: { kind: string; id: string }[] } };

async function cli<T>(args: string[], stdin?: string): Promise<{ code: number | null; body: T; stdout: string; stderr: string }> {
  const run = await runCliInProcess(['--json', ...args], stdin === undefined ? {} : { stdin });
  return { code: run.code, body: JSON.parse(run.stdout) as T, stdout: run.stdout, stderr: run.stderr };
}

async function freshFolder(): Promise<string> {
  const dir = join(await makeTempDir(), 'data');
  expect((await runCliInProcess(['--dir', dir, 'init'])).code).to.equal(0);
  return dir;
}

/** The user's records of a folder (templates left out), as `export` gives them, without what each write stamps. */
async function recordsOf(dir: string): Promise<Record<string, Record<string, unknown>[]>> {
  const { body } = await cli<{ data: Record<string, Record<string, unknown>[]> }>(['--dir', dir, 'export']);
  const { exportedAt: _at, schemaVersion: _v, ...kinds } = body.data as unknown as Record<string, unknown>;
  return kinds as Record<string, Record<string, unknown>[]>;
}

describe('Feature: `agentcfg import` and `export` speak every format, and say what happens to ids that are taken', function () {
  describe('Scenario: each format imports, detected by its content', function () {
    for (const source of SOURCES) {
      it(`${source.path.slice(FIXTURES.length + 1)}: detected as ${source.format}, imported with its report; --dry-run changes no byte`, async function () {
        const dir = await freshFolder();
        const before = await hashTree(dir);
        const dry = await cli<{ data: { format: string; dryRun: boolean; report: { records: { kind: string; id: string }[] } } }>(['--dir', dir, 'import', '--dry-run', source.path]);
        expect(dry.code, dry.stderr).to.equal(0);
        expect(dry.body.data).to.include({ format: source.format, dryRun: true });
        expect(await hashTree(dir), 'a dry run writes nothing').to.deep.equal(before);

        const run = await cli<{ data: Imported }>(['--dir', dir, 'import', source.path]);
        expect(run.code, run.stdout).to.equal(0);
        expect(run.body.data.format).to.equal(source.format);
        expect(run.body.data.report?.records.length, 'the report names every record').to.be.greaterThan(0);
        const stored = await recordsOf(dir);
        for (const { kind, id } of run.body.data.report?.records ?? []) {
          const plural = { personality: 'personalities', role: 'roles', connection: 'connections', agent: 'agents' }[kind] as string;
          expect((stored[plural] ?? []).map((r) => r.id), `${kind} ${id} is stored`).to.include(id);
        }
        expect((await cli<{ data: { findings: unknown[] } }>(['--dir', dir, 'verify'])).body.data.findings).to.deep.equal([]);
      });
    }
  });

  describe('Scenario: --on-conflict, for a bundle whose ids are taken', function () {
    /** A folder holding personality p1 and role r1, and a bundle with p1 (changed), r1 and an agent using both. */
    async function collision(): Promise<{ dir: string; bundle: string }> {
      const dir = await freshFolder();
      const seed = {
        personalities: [{ id: 'p1', name: 'Stored', humor: 10, customInstructions: 'stored' }],
        roles: [{ id: 'r1', name: 'Stored role', systemPrompt: 'Stored prompt.' }],
      };
      expect((await runCliInProcess(['--dir', dir, 'import', '-'], { stdin: JSON.stringify(seed) })).code).to.equal(0);
      const bundle = join(await makeTempDir(), 'bundle.json');
      await writeFile(
        bundle,
        JSON.stringify({
          personalities: [{ id: 'p1', name: 'Incoming', humor: 90 }],
          roles: [{ id: 'r1', name: 'Incoming role', systemPrompt: 'Incoming prompt.' }],
          agents: [{ id: 'a1', name: 'Agent', personalityId: 'p1', roleId: 'r1', color: '#112233', modelConfig: { provider: 'openai', modelId: 'gpt-4o' } }],
        }),
      );
      return { dir, bundle };
    }

    it('fail (the default): CONFLICT naming every taken id, and the folder is byte-identical', async function () {
      const { dir, bundle } = await collision();
      const before = await hashTree(join(dir, 'config'));
      const run = await cli<{ error: { code: string; details: { path: string; message: string }[] } }>(['--dir', dir, 'import', bundle]);
      expect(run.body.error.code).to.equal('CONFLICT');
      expect(run.body.error.details.map((d) => d.message)).to.deep.equal(["personality 'p1' already exists", "role 'r1' already exists"]);
      expect(await hashTree(join(dir, 'config'))).to.deep.equal(before);
    });

    it('skip: the stored records stay as they are, the agent is created and uses them', async function () {
      const { dir, bundle } = await collision();
      const run = await cli<{ data: Imported }>(['--dir', dir, 'import', '--on-conflict', 'skip', bundle]);
      expect(run.code, run.stdout).to.equal(0);
      expect(run.body.data).to.deep.include({ personalities: 0, roles: 0, agents: 1 });
      expect(run.body.data.conflicts.map((c) => [c.kind, c.id, c.resolution])).to.deep.equal([['personality', 'p1', 'skipped'], ['role', 'r1', 'skipped']]);
      const stored = await recordsOf(dir);
      expect(stored.personalities?.[0]).to.deep.include({ id: 'p1', name: 'Stored', humor: 10, version: 1 });
      expect(stored.agents?.[0]).to.deep.include({ id: 'a1', personalityId: 'p1', roleId: 'r1' });
    });

    it('overwrite: the stored records become the bundle\'s (fields it leaves out are cleared), as new versions', async function () {
      const { dir, bundle } = await collision();
      const run = await cli<{ data: Imported }>(['--dir', dir, 'import', '--on-conflict', 'overwrite', bundle]);
      expect(run.code, run.stdout).to.equal(0);
      expect(run.body.data).to.deep.include({ personalities: 1, roles: 1, agents: 1 });
      expect(run.body.data.conflicts.map((c) => c.resolution)).to.deep.equal(['overwritten', 'overwritten']);
      const [p1] = (await recordsOf(dir)).personalities ?? [];
      expect(p1).to.deep.include({ id: 'p1', name: 'Incoming', humor: 90, version: 2 });
      expect(p1, 'a field the bundle leaves out is cleared').to.not.have.property('customInstructions');
      const history = await cli<{ data: { name: string }[] }>(['--dir', dir, 'personality', 'history', 'p1']);
      expect(history.body.data.map((r) => r.name), 'the replaced version is kept in history').to.deep.equal(['Stored']);
    });

    it('rename: the bundle\'s records are created under new ids, and its references follow them', async function () {
      const { dir, bundle } = await collision();
      const run = await cli<{ data: Imported }>(['--dir', dir, 'import', '--on-conflict', 'rename', bundle]);
      expect(run.code, run.stdout).to.equal(0);
      expect(run.body.data.conflicts.map((c) => [c.id, c.resolution, c.newId])).to.deep.equal([
        ['p1', 'renamed', 'p1-2'],
        ['r1', 'renamed', 'r1-2'],
      ]);
      const stored = await recordsOf(dir);
      expect(stored.personalities?.map((p) => [p.id, p.name])).to.deep.equal([['p1', 'Stored'], ['p1-2', 'Incoming']]);
      expect(stored.agents?.[0]).to.deep.include({ id: 'a1', personalityId: 'p1-2', roleId: 'r1-2' });
    });

    it('an unknown policy is a usage error, and nothing is written', async function () {
      const { dir, bundle } = await collision();
      const before = await hashTree(join(dir, 'config'));
      const run = await runCliInProcess(['--dir', dir, 'import', '--on-conflict', 'merge', bundle]);
      expect(run.code).to.equal(2);
      expect(await hashTree(join(dir, 'config'))).to.deep.equal(before);
    });
  });

  describe('Scenario: export --to each format, read back by import', function () {
    /** A folder with the CrewAI fixture's agents and a card's character imported. */
    async function populated(): Promise<string> {
      const dir = await freshFolder();
      for (const path of [join(FIXTURES, 'crewai', 'agents.yaml'), join(FIXTURES, 'card', 'card-v3.json')]) {
        expect((await runCliInProcess(['--dir', dir, 'import', path])).code).to.equal(0);
      }
      return dir;
    }

    for (const format of ['bundle', 'crewai', 'fishbowl', 'card'] as const) {
      it(`--to ${format} --out: what it writes imports into an empty folder as the same ${format === 'crewai' || format === 'card' ? 'agents' : 'records'}`, async function () {
        const dir = await populated();
        const out = join(await makeTempDir(), format === 'fishbowl' || format === 'card' ? 'out' : `export.${format === 'crewai' ? 'yaml' : 'json'}`);
        const exported = await cli<{ data: { files: string[] } }>(['--dir', dir, 'export', '--to', format, '--out', out]);
        expect(exported.code, exported.stdout).to.equal(0);
        const again = await freshFolder();
        for (const file of format === 'card' ? exported.body.data.files : [out]) {
          const run = await cli<{ data: Imported }>(['--dir', again, 'import', file]);
          expect(run.code, run.stdout).to.equal(0);
          expect(run.body.data.format).to.equal(format);
        }
        const original = await recordsOf(dir);
        const copied = await recordsOf(again);
        // agentcfg's own bundle and Fishbowl's files keep ids; a card or a CrewAI key is made from the agent's name or id.
        const keepsIds = format === 'bundle' || format === 'fishbowl';
        const names = (records: Record<string, unknown>[] | undefined) => (records ?? []).map((r) => (keepsIds ? `${String(r.id)} ${String(r.name)}` : String(r.name))).sort();
        expect(names(copied.agents)).to.deep.equal(names(original.agents));
        if (keepsIds) expect(names(copied.roles)).to.deep.equal(names(original.roles));
      });
    }

    it('--to card --png writes a PNG carrying the card; --ids picks the agent; one file without --out is refused for binary', async function () {
      const dir = await populated();
      const { body } = await cli<{ data: { agents: { id: string }[] } }>(['--dir', dir, 'export']);
      const agentId = body.data.agents.at(-1)?.id as string;
      const out = join(await makeTempDir(), 'card.png');
      const exported = await cli<{ data: { files: string[] } }>(['--dir', dir, 'export', '--to', 'card', '--ids', agentId, '--png', '--out', out]);
      expect(exported.code, exported.stdout).to.equal(0);
      expect(exported.body.data.files).to.deep.equal([out]);
      const card = readCardPng(await readFile(out), out);
      expect(card.data.name).to.equal('Kaito Ren');
      const refused = await cli<{ error: { code: string; message: string } }>(['--dir', dir, 'export', '--to', 'card', '--ids', agentId, '--png']);
      expect(refused.code).to.equal(2);
      expect(refused.body.error.message).to.contain('--out');
    });

    it('usage mistakes are refused with exit 2 and write nothing: fishbowl without --out, --png with another format, an unknown id', async function () {
      const dir = await populated();
      const folder = await makeTempDir();
      expect((await cli(['--dir', dir, 'export', '--to', 'fishbowl'])).code).to.equal(2);
      expect((await cli(['--dir', dir, 'export', '--to', 'crewai', '--png', '--out', join(folder, 'x.yaml')])).code).to.equal(2);
      const unknown = await cli<{ error: { code: string; details: { path: string }[] } }>(['--dir', dir, 'export', '--ids', 'no-such-id', '--out', join(folder, 'x.json')]);
      expect(unknown.code).to.equal(3);
      expect(unknown.body.error.details.map((d) => d.path)).to.deep.equal(['--ids']);
      expect(await readdir(folder)).to.deep.equal([]);
    });

    it('crewai to stdout is the agents.yaml text', async function () {
      const dir = await populated();
      const run = await runCliInProcess(['--dir', dir, 'export', '--to', 'crewai']);
      expect(run.code).to.equal(0);
      const agents = parse(run.stdout) as Record<string, { role: string; goal: string; backstory: string }>;
      expect(Object.keys(agents)).to.include.members(['researcher', 'reporting_analyst']);
      expect(agents.researcher?.role.trim()).to.equal('{topic} Senior Data Researcher');
    });
  });

  it('the library does the same: readImport, importBundle with onConflict, writeExport', async function () {
    const dataDir = join(await makeTempDir(), 'data');
    const configuration = await createConfigurationService({ dataDir });
    const source = await readImport({ name: 'agents.yaml', bytes: await readFile(join(FIXTURES, 'crewai', 'agents.yaml')) });
    expect(source.format).to.equal('crewai');
    const first = await configuration.importBundle(source.bundle);
    expect(first.result.agents).to.be.greaterThan(0);
    const second = await configuration.importBundle(source.bundle, { onConflict: 'skip' });
    expect(second.workflow, 'everything was there: nothing to write').to.equal(null);
    expect(second.result.conflicts.every((c) => c.resolution === 'skipped')).to.equal(true);
    const written = writeExport('crewai', await configuration.exportBundle());
    expect(Object.keys(parse(written.files[0]?.content as string) as object)).to.include('researcher');
    await configuration.close();
  });
});
