import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { hashConfigFiles } from '../../support/disk';
import { validRecords } from '../../support/records';
import { CLI_BIN, runCli, type CliRun } from '../../support/run-cli';
import { runCliInProcess } from '../../support/run-cli-in-process';
import { makeTempDir } from '../../support/test-container';

type Runner = (args: readonly string[], options?: { stdin?: string; env?: NodeJS.ProcessEnv }) => Promise<CliRun>;

const transports: { name: string; run: Runner }[] = [
  { name: 'the agentcfg binary in a child process', run: runCli },
  { name: 'the same program in-process', run: runCliInProcess },
];

/** stdout of a --json run must be exactly one JSON document. */
function oneDocument(run: CliRun): { ok: boolean; data?: unknown; error?: { code: string; message: string; details: { path: string }[] } } {
  const lines = run.stdout.trim().split('\n');
  expect(lines, run.stdout).to.have.length(1);
  return JSON.parse(lines[0] as string);
}

for (const { name, run } of transports) {
  describe(`Feature: the command-line contract (${name})`, function () {
    let dir: string;
    const valid = validRecords();
    const cli = (args: string[], stdin?: string) => run(['--dir', dir, ...args], stdin === undefined ? {} : { stdin });

    before(async function () {
      dir = await makeTempDir('agentcfg-cli-');
    });

    it('init creates the data folder with the templates and is idempotent', async function () {
      const first = await cli(['init', '--json']);
      expect(first.code, first.stderr).to.equal(0);
      const doc = oneDocument(first) as { data: { roles: { templates: number }; personalities: { templates: number } } };
      expect(doc.data.roles.templates).to.equal(10);
      expect(doc.data.personalities.templates).to.be.greaterThan(0);
      const hashes = await hashConfigFiles(dir);
      const second = await cli(['init']);
      expect(second.code).to.equal(0);
      expect(second.stdout).to.include('Data folder ready').and.to.include('10 templates');
      expect(await hashConfigFiles(dir)).to.deep.equal(hashes);
    });

    it('prints help for the tool and for every command, exiting 0', async function () {
      for (const args of [['--help'], ['personality', '--help'], ['role', 'create', '--help'], ['agent', 'resolve', '--help'], ['demo', '--help']]) {
        const result = await run(args);
        expect(result.code, args.join(' ')).to.equal(0);
        expect(result.stdout).to.include('Usage: agentcfg');
      }
      const version = await run(['--version']);
      expect(version.code).to.equal(0);
      expect(version.stdout.trim()).to.match(/^\d+\.\d+\.\d+$/);
    });

    it('exits 2 on usage errors, as one JSON document with --json', async function () {
      expect((await run([])).code).to.equal(2);
      const unknown = await cli(['frobnicate']);
      expect(unknown.code).to.equal(2);
      expect(unknown.stderr).to.include("unknown command 'frobnicate'");
      const json = await cli(['personality', 'create', '--json']);
      expect(json.code).to.equal(2);
      expect(oneDocument(json)).to.deep.include({ ok: false });
      expect(oneDocument(json).error?.code).to.equal('USAGE_ERROR');
      expect((await cli(['role', 'delete', 'x', '--expected-version', 'two'])).code).to.equal(2);
    });

    it('creates from a file and from stdin, with global options before or after the subcommand', async function () {
      const file = join(dir, 'personality.json');
      await writeFile(file, JSON.stringify(valid.personality));
      const fromFile = await run(['personality', 'create', '--file', file, '--dir', dir, '--json']);
      expect(fromFile.code, fromFile.stdout).to.equal(0);
      expect(oneDocument(fromFile).data).to.include({ id: 'ada', version: 1 });

      const fromStdin = await cli(['role', 'create', '--file', '-'], JSON.stringify(valid.role));
      expect(fromStdin.code, fromStdin.stderr).to.equal(0);
      expect(fromStdin.stdout).to.include("Created role 'reviewer' (version 1)");

      const agent = await run(['--json', 'agent', 'create', '--file', '-', '--dir', dir], { stdin: JSON.stringify(valid.agent) });
      expect(agent.code, agent.stdout).to.equal(0);
      expect(oneDocument(agent).data).to.deep.include({ id: 'ada-reviewer', personalityId: 'ada', roleId: 'reviewer' });
    });

    it('lists and gets every kind as tables and text, or as JSON', async function () {
      for (const [kind, id] of [['personality', 'ada'], ['role', 'reviewer'], ['agent', 'ada-reviewer']] as const) {
        const list = await cli([kind, 'list', '--json']);
        expect(list.code).to.equal(0);
        expect((oneDocument(list).data as { id: string }[]).map((r) => r.id)).to.include(id);
        const table = await cli([kind, 'list']);
        expect(table.stdout.split('\n')[0]).to.match(/^ID\s+NAME\s+VERSION\s+TEMPLATE/);
        expect(table.stdout).to.include(id);
        const get = await cli([kind, 'get', id]);
        expect(get.code).to.equal(0);
        expect(get.stdout).to.include(`id: ${id}`).and.to.include('version: 1');
        const getJson = await cli([kind, 'get', id, '--json']);
        expect(oneDocument(getJson).data).to.include({ id });
      }
      const agentTable = await cli(['agent', 'list']);
      expect(agentTable.stdout).to.include('openai/gpt-4o');
    });

    it('reports NOT_FOUND (4) and malformed ids (3)', async function () {
      const missing = await cli(['role', 'get', 'ghost', '--json']);
      expect(missing.code).to.equal(4);
      expect(oneDocument(missing).error?.code).to.equal('NOT_FOUND');
      const text = await cli(['agent', 'get', 'ghost']);
      expect(text.stderr).to.include("NOT_FOUND: agent 'ghost' was not found");
      expect((await cli(['personality', 'get', '../x'])).code).to.equal(3);
    });

    it('updates with and without --expected-version; a stale version is CONFLICT (5)', async function () {
      const first = await cli(['personality', 'update', 'ada', '--file', '-', '--expected-version', '1', '--json'], '{"humor":90}');
      expect(first.code, first.stdout).to.equal(0);
      expect(oneDocument(first).data).to.include({ version: 2, humor: 90 });
      const stale = await cli(['personality', 'update', 'ada', '--file', '-', '--expected-version', '1', '--json'], '{"humor":10}');
      expect(stale.code).to.equal(5);
      expect(oneDocument(stale).error?.message).to.include('version 2');
      const plain = await cli(['personality', 'update', 'ada', '--file', '-'], '{"humor":50}');
      expect(plain.stdout).to.include("Updated personality 'ada' to version 3");
      const agentVersion = (oneDocument(await cli(['agent', 'get', 'ada-reviewer', '--json'])).data as { version: number }).version;
      expect(agentVersion, 'each personality change re-resolved the agent').to.equal(3);
      const unknownModel = await cli(['agent', 'update', 'ada-reviewer', '--file', '-', '--json'], '{"modelConfig":{"modelId":"gpt-next"}}');
      expect(oneDocument(unknownModel).data).to.deep.include({ version: agentVersion + 1 });
      expect(unknownModel.stderr).to.include("warning: model 'gpt-next' is not in the catalogue");
      await cli(['agent', 'update', 'ada-reviewer', '--file', '-'], '{"modelConfig":{"modelId":"gpt-4o"}}');
    });

    it("agent resolve prints the agent's effective system prompt", async function () {
      const text = await cli(['agent', 'resolve', 'ada-reviewer']);
      expect(text.code).to.equal(0);
      expect(text.stdout).to.include(valid.role.systemPrompt).and.to.include('Cite the numbers you rely on.');
      const json = oneDocument(await cli(['agent', 'resolve', 'ada-reviewer', '--json'])) as { data: { systemPrompt: string } };
      expect(json.data.systemPrompt.trim()).to.equal(text.stdout.trim());
    });

    it('refuses bad input files as VALIDATION_ERROR (3) naming --file', async function () {
      const missing = await cli(['role', 'create', '--file', join(dir, 'nope.json'), '--json']);
      expect(missing.code).to.equal(3);
      expect(oneDocument(missing).error?.details[0]?.path).to.equal('--file');
      const garbage = await cli(['role', 'create', '--file', '-', '--json'], '{not json');
      expect(garbage.code).to.equal(3);
      expect(oneDocument(garbage).error?.message).to.include('not valid JSON');
    });

    it('deletes in dependency order: REFERENCE_ERROR (7) while used, FORBIDDEN (6) for templates', async function () {
      const used = await cli(['role', 'delete', 'reviewer', '--json']);
      expect(used.code).to.equal(7);
      expect(oneDocument(used).error?.code).to.equal('REFERENCE_ERROR');
      const template = await cli(['role', 'delete', 'analyst']);
      expect(template.code).to.equal(6);
      expect(template.stderr).to.include('template');
      expect((await cli(['agent', 'delete', 'ada-reviewer', '--expected-version', '9'])).code).to.equal(5);
      const current = (oneDocument(await cli(['agent', 'get', 'ada-reviewer', '--json'])).data as { version: number }).version;
      const agent = await cli(['agent', 'delete', 'ada-reviewer', '--expected-version', String(current)]);
      expect(agent.stdout).to.include("Deleted agent 'ada-reviewer'");
      expect((await cli(['role', 'delete', 'reviewer', '--json'])).code).to.equal(0);
      expect((await cli(['role', 'delete', 'reviewer'])).code).to.equal(4);
      expect(oneDocument(await cli(['agent', 'list', '--json'])).data).to.deep.equal([]);
      expect((await cli(['agent', 'list'])).stdout).to.include('No agent records');
    });

    it('uses $AGENTCFG_DIR when --dir is not given', async function () {
      const envDir = await makeTempDir('agentcfg-env-');
      const result = await run(['role', 'list', '--json'], { env: { AGENTCFG_DIR: envDir } });
      expect(result.code).to.equal(0);
      expect(await hashConfigFiles(envDir)).to.have.property('roles.json');
    });

    it('runs the demo, and runs it again reusing what it made', async function () {
      const demoDir = await makeTempDir('agentcfg-demo-');
      const first = await run(['demo', '--dir', demoDir]);
      expect(first.code, first.stderr).to.equal(0);
      expect(first.stdout).to.include("agent 'demo-reviewer': created").and.to.include('Effective system prompt');
      expect(first.stdout).to.include('Summary: 5 personalities');
      const again = await run(['demo', '--dir', demoDir, '--json']);
      const doc = oneDocument(again) as { data: { steps: { status: string }[]; systemPrompt: string; agents: unknown[] } };
      expect(doc.data.steps.map((s) => s.status)).to.deep.equal(['already present', 'already present', 'already present']);
      expect(doc.data.agents).to.have.length(1);
      expect(doc.data.systemPrompt).to.include('code reviewer');
    });
  });
}

describe('Feature: the default data folder', function () {
  it('is ./agentcfg-data under the working directory', async function () {
    const cwd = await makeTempDir('agentcfg-cwd-');
    const env = { ...process.env };
    delete env.AGENTCFG_DIR;
    const result = spawnSync(process.execPath, [CLI_BIN, 'init', '--json'], { cwd, env, encoding: 'utf8' });
    expect(result.status, result.stderr).to.equal(0);
    expect((JSON.parse(result.stdout) as { data: { dataDir: string } }).data.dataDir).to.equal(join(cwd, 'agentcfg-data'));
    expect(await hashConfigFiles(join(cwd, 'agentcfg-data'))).to.have.property('personalities.json');
  });
});
