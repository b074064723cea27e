import { expect } from 'chai';
import addContext from 'mochawesome/addContext';
import type { AgentcfgError } from '../../../src/domain/errors/agentcfg-error';
import type { ConflictError } from '../../../src/domain/errors/errors';
import type { ConflictStrategy, FieldRule } from '../../../src/domain/conflict/resolve-update';
import { readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { multiServiceWorkflows, seedValidRecords } from '../../support/coordination';
import { loadFixture } from '../../support/fixtures';
import { readJournal, statusTrail } from '../../support/journals';
import { snapshotRecords } from '../../support/records-snapshot';
import { runCli } from '../../support/run-cli';
import { startWorker, waitForExit, waitForLine } from '../../support/run-worker';
import { createTestContainer, type TestContainer } from '../../support/test-container';
import { timedStep } from '../../support/timing';

interface ConflictScenario {
  name: string;
  kind: 'personality' | 'agent';
  first: Record<string, unknown>;
  second: Record<string, unknown>;
  strategy: ConflictStrategy;
  rules?: Record<string, FieldRule>;
  conflicts?: string[];
  values?: Record<string, unknown>;
  sources?: Record<string, string>;
}

interface ConsistencyFixture {
  crashes: { workflow: string; points: string[] }[];
  recoveryBoundMs: number;
  conflicts: ConflictScenario[];
  concurrentMerge: { processes: number; updatesEach: number; fields: string[]; expectedVersion: number };
}

/** The value at a dotted path. */
function valueAt(record: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], record);
}

const fixture = loadFixture<ConsistencyFixture>('service-coordination/consistency-scenarios.json');
const workflows = multiServiceWorkflows().workflows;

describe('Feature: configuration system consistency — no half-made change survives a crash', function () {
  let base: TestContainer;

  beforeEach(async function () {
    base = await createTestContainer();
    await seedValidRecords(base.configuration);
  });

  afterEach(() => base.dispose());

  /** Runs the workflow in a child process and SIGKILLs it at `point`; returns the killed workflow's id. */
  async function runAndKill(workflowName: string, point: string): Promise<string> {
    const definition = workflows.find((w) => w.definition.name === workflowName)?.definition;
    if (!definition) throw new Error(`fixture workflow ${workflowName} is missing`);
    const file = join(base.dataDir, 'workflow.json');
    await writeFile(file, JSON.stringify(definition));
    const child = startWorker('workflow-crasher', [base.dataDir, file, point]);
    const exited = waitForExit(child);
    await waitForLine(child, 'PAUSED');
    child.kill('SIGKILL');
    expect((await exited).signal).to.equal('SIGKILL');
    const journals = (await readdir(join(base.dataDir, 'workflows'))).filter((n) => n.endsWith('.jsonl'));
    expect(journals).to.have.length(1);
    return (journals[0] as string).replace(/\.jsonl$/, '');
  }

  for (const crash of fixture.crashes) {
    for (const point of crash.points) {
      it(`${crash.workflow}: killed at ${point}, \`workflow recover\` restores every record and marks it COMPENSATED`, async function () {
        const before = await snapshotRecords(base.configuration);
        const id = await timedStep(this, 'run and SIGKILL the workflow', () => runAndKill(crash.workflow, point));
        const unfinished = await readJournal(base.dataDir, id);
        expect(statusTrail(unfinished).at(-1), 'killed while running').to.equal('RUNNING');

        const started = Date.now();
        const recover = await timedStep(this, 'agentcfg workflow recover', () => runCli(['--dir', base.dataDir, 'workflow', 'recover', '--json']));
        expect(recover.code, recover.stdout + recover.stderr).to.equal(0);
        expect(Date.now() - started, 'a lock left by the killed process does not hold recovery up').to.be.below(fixture.recoveryBoundMs);
        const reports = recover.json<{ data: { workflowId: string; from: string; to: string }[] }>().data;
        expect(reports.find((r) => r.workflowId === id)).to.deep.include({ from: 'RUNNING', to: 'COMPENSATED' });

        const show = await runCli(['--dir', base.dataDir, 'workflow', 'show', id, '--json']);
        expect(show.json<{ data: { status: string } }>().data.status).to.equal('COMPENSATED');
        const list = await runCli(['--dir', base.dataDir, 'workflow', 'list', '--json']);
        const statuses = list.json<{ data: { status: string }[] }>().data.map((r) => r.status);
        expect(statuses).to.not.include('RUNNING').and.to.not.include('COMPENSATING');

        const reopened = await createTestContainer({ dataDir: base.dataDir });
        expect(await snapshotRecords(reopened.configuration)).to.deep.equal(before);
        expect((await readdir(join(base.dataDir, 'config'))).filter((n) => n.includes('.tmp-')), 'no temp file left').to.deep.equal([]);
      });
    }
  }

  describe('Scenario: concurrent updates from the same base, resolved by strategy', function () {
    const ids = { personality: 'ada', agent: 'ada-reviewer' } as const;
    for (const scenario of fixture.conflicts) {
      it(scenario.name, async function () {
        const { configuration } = base;
        const id = ids[scenario.kind];
        const read = await configuration.updateRecord(scenario.kind, id, {}, {});
        const baseVersion = read.record.version;
        await configuration.updateRecord(scenario.kind, id, scenario.first, { expectedVersion: baseVersion });
        const attempt = configuration.updateRecord(scenario.kind, id, scenario.second, {
          expectedVersion: baseVersion,
          strategy: scenario.strategy,
          ...(scenario.rules ? { rules: scenario.rules } : {}),
        });
        if (scenario.conflicts) {
          const error = (await expect(attempt).to.be.rejected) as AgentcfgError;
          expect(error.code).to.equal('CONFLICT');
          expect(error.details.map((d) => d.path)).to.deep.equal(scenario.conflicts);
          expect((error as ConflictError).current).to.deep.include({ version: baseVersion + 1 });
          return;
        }
        const { record, fields } = await attempt;
        expect(record.version).to.equal(baseVersion + 2);
        for (const [path, value] of Object.entries(scenario.values ?? {})) expect(valueAt(record, path), path).to.deep.equal(value ?? undefined);
        const sources = Object.fromEntries(fields.map((f) => [f.path, f.source]));
        for (const [path, source] of Object.entries(scenario.sources ?? {})) expect(sources[path], path).to.equal(source);
      });
    }

    it('reject: of two truly concurrent updates from one base, exactly one is accepted', async function () {
      const results = await Promise.allSettled(
        [{ humor: 1 }, { humor: 99 }].map((patch) => base.configuration.updateRecord('personality', 'ada', patch, { expectedVersion: 1, strategy: 'reject' })),
      );
      expect(results.filter((r) => r.status === 'fulfilled')).to.have.length(1);
      const rejected = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
      expect((rejected.reason as AgentcfgError).code).to.equal('CONFLICT');
      expect((await base.configuration.getPersonality('ada'))?.version).to.equal(2);
    });

    it(`${fixture.concurrentMerge.processes} OS processes x ${fixture.concurrentMerge.updatesEach} merge updates to disjoint fields lose nothing`, async function () {
      this.timeout(300_000);
      const { processes, updatesEach, fields, expectedVersion } = fixture.concurrentMerge;
      const runs = await timedStep(this, `${processes} x ${updatesEach} merge updates`, () =>
        Promise.all(fields.slice(0, processes).map((field) => waitForExit(startWorker('merge-worker', [base.dataDir, 'ada', field, String(updatesEach)])))),
      );
      const reports = runs.map((run) => {
        expect(run.code, run.stderr).to.equal(0);
        return JSON.parse(run.stdout.trim()) as { lost: number; merged: number; retried: number };
      });
      addContext(this, { title: 'merge workers', value: reports });
      for (const report of reports) expect(report.lost, 'no update of a worker was overwritten').to.equal(0);
      expect(reports.reduce((n, r) => n + r.merged, 0), 'updates made against an older version were merged').to.be.greaterThan(0);
      const final = (await base.configuration.getPersonality('ada')) as unknown as Record<string, number>;
      expect(final.version).to.equal(expectedVersion);
      for (const field of fields) expect(final[field], field).to.equal(updatesEach % 101);
    });
  });

  describe('Scenario: history and restore', function () {
    it('keeps the last 20 versions and restores one as a new version', async function () {
      for (let i = 1; i <= 25; i++) await base.configuration.updatePersonality('ada', { humor: i });
      const history = await base.configuration.recordHistory('personality', 'ada');
      expect(history.map((r) => r.version)).to.deep.equal(Array.from({ length: 20 }, (_, i) => i + 6));
      const restored = await base.configuration.restoreRecord('personality', 'ada', 10);
      expect(restored).to.deep.include({ version: 27, humor: 9 });
      expect(((await expect(base.configuration.restoreRecord('personality', 'ada', 1)).to.be.rejected) as AgentcfgError).code).to.equal('NOT_FOUND');
      const merged = await base.configuration.updateRecord('personality', 'ada', { empathy: 3 }, { expectedVersion: 26, strategy: 'merge' });
      expect(merged.record).to.deep.include({ humor: 9, empathy: 3, version: 28 });
    });

    it('offers history, restore and merge on the command line', async function () {
      const dir = ['--dir', base.dataDir];
      await runCli([...dir, 'personality', 'update', 'ada', '--file', '-', '--expected-version', '1'], { stdin: '{"humor":11}' });
      const merge = await runCli([...dir, 'personality', 'update', 'ada', '--file', '-', '--expected-version', '1', '--strategy', 'merge', '--json'], { stdin: '{"empathy":12}' });
      expect(merge.code, merge.stdout).to.equal(0);
      const doc = merge.json<{ data: { version: number }; fields: { path: string; source: string }[] }>();
      expect(doc.data.version).to.equal(3);
      expect(doc.fields).to.deep.include({ path: 'empathy', source: 'mine' });
      const clash = await runCli([...dir, 'personality', 'update', 'ada', '--file', '-', '--expected-version', '1', '--strategy', 'merge'], { stdin: '{"humor":50}' });
      expect(clash.code).to.equal(5);
      expect(clash.stderr).to.include('conflicting fields: humor');
      const ruled = await runCli([...dir, 'personality', 'update', 'ada', '--file', '-', '--expected-version', '1', '--strategy', 'merge', '--rule', 'humor=max'], { stdin: '{"humor":50}' });
      expect(ruled.stdout).to.include('humor: rule:max');
      expect((await runCli([...dir, 'personality', 'update', 'ada', '--file', '-', '--strategy', 'sometimes'], { stdin: '{}' })).code).to.equal(2);
      const history = await runCli([...dir, 'personality', 'history', 'ada']);
      expect(history.stdout).to.match(/^VERSION\s+UPDATED\s+NAME/);
      const restore = await runCli([...dir, 'personality', 'restore', 'ada', '--version', '1', '--json']);
      expect(restore.json<{ data: { humor: number; version: number } }>().data).to.deep.include({ humor: 30, version: 5 });
    });
  });

  it('undoes a killed workflow on start-up, before anyone reads its records', async function () {
    const before = await snapshotRecords(base.configuration);
    const id = await runAndKill('new-team-member', 'after:newRole');
    const reopened = await timedStep(this, 'open the folder again', () => createTestContainer({ dataDir: base.dataDir }));
    expect(await snapshotRecords(reopened.configuration)).to.deep.equal(before);
    expect(statusTrail(await readJournal(base.dataDir, id)).slice(-2)).to.deep.equal(['COMPENSATING', 'COMPENSATED']);
    const reported = await reopened.configuration.recoverWorkflows({ includeFailed: true });
    expect(reported, 'start-up recovery is reported once').to.have.length(1);
    expect(reported[0]).to.deep.include({ workflowId: id, from: 'RUNNING', to: 'COMPENSATED', compensated: ['newRole', 'newPersonality'] });
    expect(await reopened.configuration.recoverWorkflows({ includeFailed: true }), 'nothing left to do').to.deep.equal([]);
  });

  it('leaves a workflow that a live process is running alone', async function () {
    const definition = workflows.find((w) => w.definition.name === 'new-team-member')?.definition;
    const file = join(base.dataDir, 'workflow.json');
    await writeFile(file, JSON.stringify(definition));
    const child = startWorker('workflow-crasher', [base.dataDir, file, 'after:newPersonality']);
    const exited = waitForExit(child);
    try {
      await waitForLine(child, 'PAUSED');
      const reports = await base.configuration.recoverWorkflows({ includeFailed: true });
      expect(reports).to.have.length(1);
      expect(reports[0]).to.deep.include({ from: 'RUNNING', to: 'RUNNING', skipped: 'a live process is running it' });
      expect(await base.configuration.getPersonality('bea'), 'the live workflow keeps its work').to.not.equal(null);
    } finally {
      child.kill('SIGKILL');
      await exited;
    }
  });
});
