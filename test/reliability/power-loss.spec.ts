import { expect } from 'chai';
import { basename } from 'node:path';
import sinon from 'sinon';
import { FileAuditLog } from '../../src/storage/file/file-audit-log';
import type { IFileSystem } from '../../src/storage/file-system';
import { validRecords } from '../support/records';
import { removeFastTempDirs } from './fast-temp-dir';
import { runPowerCutCampaign, type CutFailure, type PowerCutReport, type WorkloadStep } from './power-loss/power-cut-campaign';

/** A workflow of three steps, then a single update and a delete: each acknowledged before the next starts. */
function workload(): WorkloadStep[] {
  const valid = validRecords();
  return [
    { label: 'create-agent-with-dependencies', run: (c) => c.createAgentWithDependencies({ personality: valid.personality, role: valid.role, agent: valid.agent }) },
    { label: 'update-personality', run: (c) => c.updatePersonality(valid.personality.id as string, { humor: 77 }) },
    { label: 'delete-agent', run: (c) => c.deleteAgent(valid.agent.id as string) },
  ];
}

/** Records made before the cuts start, so the files exist and the workload's changes are appends to their logs. */
function logSetup(): WorkloadStep[] {
  const valid = validRecords();
  return [
    { label: 'seed-personality', run: (c) => c.createPersonality({ ...valid.personality, id: 'seed-p', name: 'Seed personality' }) },
    { label: 'seed-agent', run: (c) => c.createAgent({ ...valid.agent, id: 'seed-a', name: 'Seed agent', personalityId: 'seed-p', roleId: 'critic' }) },
  ];
}

function figures(name: string, report: PowerCutReport): string {
  const count = (problem: CutFailure['problem']) => report.failures.filter((f) => f.problem === problem).length;
  return (
    `${name}: ${report.cuts} cuts over ${report.operations} operations (${report.disks} distinct disks opened), ` +
    `${count('unloadable')} unloadable, ${count('not-a-step-state')} torn or half-made, ${count('inconsistent')} inconsistent, ${count('lost-acked-write')} lost acked writes`
  );
}

/** The first failure of each kind, with the operations before the cut. */
function explain(failures: readonly CutFailure[]): string {
  const firsts = new Map<string, CutFailure>();
  for (const f of failures) if (!firsts.has(`${f.problem}:${f.detail.replace(/\/\S+/g, '')}`)) firsts.set(`${f.problem}:${f.detail.replace(/\/\S+/g, '')}`, f);
  return [...firsts.values()]
    .slice(0, 8)
    .map((f) => `after ${f.prefix} operations (${f.cut}): ${f.problem}: ${f.detail}\n    last: ${f.lastOps.join(' | ')}`)
    .join('\n');
}

describe('Reliability: power-loss simulation', function () {
  after(removeFastTempDirs);

  it('every prefix of a workflow, an update and a delete, each change written as its whole file, cut as a power cut would, recovers to the state before or after each acknowledged step', async function () {
    const report = await runPowerCutCampaign(workload(), { storage: { appendAboveBytes: Infinity } });
    console.log(`      ${figures('power-loss simulation, every change written whole', report)}`);
    expect(report.operations, 'operations recorded').to.be.greaterThan(20);
    expect(report.failures, explain(report.failures)).to.deep.equal([]);
  });

  it('with every change appended to the change logs (the default), every prefix, torn last lines included, recovers the same way', async function () {
    const report = await runPowerCutCampaign(workload(), { setup: logSetup(), storage: { appendAboveBytes: 0 } });
    console.log(`      ${figures('power-loss simulation over the change logs', report)}`);
    expect(report.operations, 'operations recorded').to.be.greaterThan(20);
    expect(report.failures, explain(report.failures)).to.deep.equal([]);
  });

  it('the same, with the log folded into its file mid-workload (the 64th change writes the file whole and drops the log)', async function () {
    const updates: WorkloadStep[] = Array.from({ length: 62 }, (_, i) => ({ label: `update-${i}`, run: (c) => c.updatePersonality('seed-p', { humor: i }) }));
    const report = await runPowerCutCampaign(workload(), { setup: [...logSetup(), ...updates], storage: { appendAboveBytes: 0 } });
    console.log(`      ${figures('power-loss simulation over the change logs, with a fold', report)}`);
    expect(report.operations, 'operations recorded').to.be.greaterThan(20);
    expect(report.failures, explain(report.failures)).to.deep.equal([]);
  });

  it('the same, with the logs compacted into their files at the end (as a command does before it exits)', async function () {
    const compact: WorkloadStep = { label: 'compact', run: (c) => c.compact() };
    const report = await runPowerCutCampaign([...workload(), compact], { setup: logSetup(), storage: { appendAboveBytes: 0 } });
    console.log(`      ${figures('power-loss simulation over the change logs, compacted at the end', report)}`);
    expect(report.operations, 'operations recorded').to.be.greaterThan(20);
    expect(report.failures, explain(report.failures)).to.deep.equal([]);
  });

  it('the same, with changes made while a compaction writes the files (they stay in the log, cut to what the file does not hold)', async function () {
    let compaction: Promise<unknown> = Promise.resolve();
    const compactWhileUpdating: WorkloadStep[] = [
      // Not awaited: the updates below queue for the lock behind the compaction's first look, and run while it writes.
      { label: 'start-compaction', run: async (c) => void (compaction = c.compact()) },
      ...Array.from({ length: 3 }, (_, i): WorkloadStep => ({ label: `update-while-compacting-${i}`, run: (c) => c.updatePersonality('seed-p', { humor: 50 + i }) })),
      { label: 'compaction-done', run: () => compaction },
    ];
    const report = await runPowerCutCampaign([...workload(), ...compactWhileUpdating], { setup: logSetup(), storage: { appendAboveBytes: 0 } });
    console.log(`      ${figures('power-loss simulation over the change logs, compacted while changes are written', report)}`);
    expect(report.renamedTo, 'the compaction put its file in place and kept the changes made meanwhile in a new log').to.include.members(['config/personalities.json', 'config/personalities.changes.jsonl']);
    expect(report.failures, explain(report.failures)).to.deep.equal([]);
  });

  it("harness: with the folder log's fdatasync left out, the simulation finds acknowledged changes lost", async function () {
    const report = await runPowerCutCampaign(workload(), { setup: logSetup(), storage: { appendAboveBytes: 0 }, skipSync: (path) => basename(path) === 'commits.log' });
    console.log(`      ${figures("power-loss simulation without the folder log's fdatasync (must fail)", report)}`);
    expect(report.failures.filter((f) => f.problem === 'lost-acked-write').length, 'cuts that found the missing fdatasync').to.be.greaterThan(0);
  });

  it('harness: with the audit entries written apart from the change they audit (after it, unsynced), the simulation finds changes without their audit entries', async function () {
    const original = FileAuditLog.prototype.stage;
    sinon.stub(FileAuditLog.prototype, 'stage').callsFake(function (this: FileAuditLog, events, relative, work) {
      const fs = (this as unknown as { fs: IFileSystem }).fs;
      return original.call(this, events, relative, async (ops) => {
        await work([]);
        for (const op of ops) {
          if (!('append' in op)) continue;
          const handle = await fs.open(this.path, 'a');
          await handle.write(op.text);
          await handle.close();
        }
      });
    });
    try {
      const report = await runPowerCutCampaign(workload().slice(0, 2));
      console.log(`      ${figures('power-loss simulation with the audit written apart (must fail)', report)}`);
      expect(report.failures.filter((f) => f.problem === 'lost-acked-write' || f.problem === 'not-a-step-state').length, 'cuts that found a change without its audit entry').to.be.greaterThan(0);
    } finally {
      sinon.restore();
    }
  });
});
