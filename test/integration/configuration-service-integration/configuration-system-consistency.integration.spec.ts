import { expect } from 'chai';
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

interface ConsistencyFixture {
  crashes: { workflow: string; points: string[] }[];
  recoveryBoundMs: number;
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
