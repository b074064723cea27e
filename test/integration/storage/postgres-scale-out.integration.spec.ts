import { expect } from 'chai';
import type { ChildProcess } from 'node:child_process';
import { createConfigurationService } from '../../../src/create-configuration-service';
import type { IConfigurationService } from '../../../src/services/configuration/configuration-service';
import { startCompiledWorker } from '../../support/compiled-workers';
import { sharedCluster, stopSharedCluster } from '../../support/postgres/throwaway-cluster';
import { validRecords } from '../../support/records';
import { runCliInProcess } from '../../support/run-cli-in-process';
import { waitForExit } from '../../support/run-worker';

const WORKERS = 4;
const MERGES_PER_WORKER = 250;
const WORKFLOWS_PER_WORKER = 50;
/** The trait each merging worker alone writes. */
const FIELDS = ['humor', 'empathy', 'brevity', 'curiosity'] as const;

interface MergeCounts {
  tag: string;
  field: string;
  updates: number;
  versions: number[];
  lost: number;
  merged: number;
  conflicts: number;
  unavailable: number;
  last: number;
}

interface WorkflowCounts {
  tag: string;
  completed: number;
  agents: string[];
  retried: number;
  pid: number;
}

/** Runs the workers side by side; each must exit 0 and print its counts as its last line. */
async function runAll<T>(workers: Promise<ChildProcess>[]): Promise<(T & { pid: number })[]> {
  const children = await Promise.all(workers);
  const exits = await Promise.all(children.map((child) => waitForExit(child)));
  return exits.map(({ code, signal, stdout, stderr }, i) => {
    expect(code, `worker ${i} ended ${code ?? signal}: ${stderr}`).to.equal(0);
    const last = stdout.trim().split('\n').at(-1) ?? '';
    return { ...(JSON.parse(last) as T), pid: children[i]?.pid as number };
  });
}

describe('Feature: many app instances share one configuration on PostgreSQL', function () {
  this.timeout(300_000);
  let db: { url: string; ownerUrl: string };
  let configuration: IConfigurationService | undefined;

  beforeEach(async function () {
    db = await (await sharedCluster()).newDatabase();
    const migrated = await runCliInProcess(['--store', db.ownerUrl, '--json', 'db', 'migrate']);
    expect(migrated.code, migrated.stdout).to.equal(0);
    // Opened first, so the templates are seeded before the instances start.
    configuration = await createConfigurationService({ store: { url: db.url } });
  });
  afterEach(async function () {
    await configuration?.close();
    configuration = undefined;
  });
  after(async function () {
    await stopSharedCluster();
  });

  it(`${WORKERS} processes × ${MERGES_PER_WORKER} merge updates of one personality, each to a field of its own, end at version ${WORKERS * MERGES_PER_WORKER + 1} with nothing lost`, async function () {
    const service = configuration as IConfigurationService;
    const { personality } = validRecords();
    await service.createPersonality(personality);

    const counts = await runAll<MergeCounts>(FIELDS.map((field) => startCompiledWorker('store-scale-worker', [db.url, 'merge', personality.id, String(MERGES_PER_WORKER), field])));

    const total = WORKERS * MERGES_PER_WORKER;
    for (const worker of counts) {
      expect(worker, worker.field).to.include({ updates: MERGES_PER_WORKER, lost: 0, last: MERGES_PER_WORKER % 101 });
    }
    // The instances did run side by side: updates were made against versions others had moved past, and merged.
    expect(counts.reduce((sum, w) => sum + w.merged, 0)).to.be.greaterThan(0);
    // Every version after the first came from exactly one worker's update.
    const versions = counts.flatMap((w) => w.versions).sort((a, b) => a - b);
    expect(versions).to.deep.equal(Array.from({ length: total }, (_, i) => i + 2));

    const final = (await service.getPersonality(personality.id)) as unknown as Record<string, unknown>;
    expect(final.version).to.equal(total + 1);
    for (const field of FIELDS) expect(final[field], field).to.equal(MERGES_PER_WORKER % 101);
    // What nobody wrote is as it was.
    expect(final.openness).to.equal(personality.openness);
    expect(final.customInstructions).to.equal(personality.customInstructions);

    const trail = await service.auditEntries({ target: `personality:${personality.id}` });
    const updates = trail.filter((e) => e.action === 'personality.update');
    expect(updates).to.have.length(total);
    expect(updates.every((e) => e.outcome === 'ok')).to.equal(true);
    expect(updates.map((e) => e.versionAfter)).to.deep.equal(Array.from({ length: total }, (_, i) => i + 2));
    expect(updates.map((e) => e.versionBefore)).to.deep.equal(Array.from({ length: total }, (_, i) => i + 1));
    // One line of states: each update starts from the state the one before it left.
    updates.slice(1).forEach((entry, i) => expect(entry.digestBefore, `update to version ${entry.versionAfter}`).to.equal(updates[i]?.digestAfter));

    const verified = await service.verify();
    expect(verified.findings).to.deep.equal([]);
    expect(verified.consistent).to.equal(true);
    expect(await service.verifyAudit()).to.include({ ok: true });
  });

  it(`${WORKERS} processes × ${WORKFLOWS_PER_WORKER} create-agent workflows all complete`, async function () {
    const service = configuration as IConfigurationService;
    const agentsBefore = (await service.getAllAgents()).length;

    const counts = await runAll<WorkflowCounts>(Array.from({ length: WORKERS }, (_, w) => startCompiledWorker('store-scale-worker', [db.url, 'workflows', String(WORKFLOWS_PER_WORKER), `w${w}`])));

    const total = WORKERS * WORKFLOWS_PER_WORKER;
    for (const worker of counts) expect(worker.completed, worker.tag).to.equal(WORKFLOWS_PER_WORKER);
    const agents = await service.getAllAgents();
    expect(agents).to.have.length(agentsBefore + total);
    const ids = new Set(agents.map((a) => a.id));
    expect(counts.flatMap((w) => w.agents).filter((id) => !ids.has(id))).to.deep.equal([]);
    for (const agent of agents.filter((a) => /^w\d+-\d+-a$/.test(a.id))) {
      expect(agent.personalityId).to.equal(agent.id.replace(/-a$/, '-p'));
      expect(agent.roleId).to.equal(agent.id.replace(/-a$/, '-r'));
    }

    // Each retry (a run that ended UNAVAILABLE) leaves a compensated run behind; every other run completed.
    const retried = counts.reduce((sum, w) => sum + w.retried, 0);
    const runs = await service.listWorkflows();
    expect(runs.filter((r) => r.status !== 'COMPLETED').map((r) => r.status)).to.deep.equal(Array(retried).fill('COMPENSATED'));
    expect(runs.filter((r) => r.status === 'COMPLETED')).to.have.length(total);
    for (const worker of counts) {
      expect(runs.filter((r) => r.owner.pid === worker.pid && r.status === 'COMPLETED'), worker.tag).to.have.length(WORKFLOWS_PER_WORKER);
    }

    const verified = await service.verify();
    expect(verified.findings).to.deep.equal([]);
    expect(verified.consistent).to.equal(true);
    expect(await service.verifyAudit()).to.include({ ok: true });
  });
});
