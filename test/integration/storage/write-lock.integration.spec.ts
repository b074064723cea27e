import { expect } from 'chai';
import { existsSync } from 'node:fs';
import { mkdir, utimes } from 'node:fs/promises';
import { join } from 'node:path';
import lockfile from 'proper-lockfile';
import sinon from 'sinon';
import type { AgentcfgError } from '../../../src/domain/errors/agentcfg-error';
import { IRoleService } from '../../../src/services/role/role-service';
import { WriteLock } from '../../../src/storage/write-lock';
import { hashConfigFiles } from '../../support/disk';
import { agentWithDependencies, validRecords } from '../../support/records';
import { misbehave } from '../../support/service-fakes';
import { createTestContainer, type TestContainer } from '../../support/test-container';

describe('Feature: the cross-process write lock waits, gives up clearly, and recovers stale locks', function () {
  let env: TestContainer;

  beforeEach(async function () {
    env = await createTestContainer();
  });

  afterEach(() => env.dispose());

  it('gives up with UNAVAILABLE when another holder keeps the lock, changing nothing', async function () {
    const impatient = await createTestContainer({ dataDir: env.dataDir, lockTimeoutMs: 300 });
    const configDir = join(env.dataDir, 'config');
    const before = await hashConfigFiles(env.dataDir);
    const release = await lockfile.lock(configDir, { lockfilePath: `${configDir}.lock`, realpath: false });
    try {
      const started = Date.now();
      const blocked = await impatient.configuration.createPersonality(validRecords().personality).then(
        () => null,
        (e: AgentcfgError) => e,
      );
      expect(blocked?.code).to.equal('UNAVAILABLE');
      expect(blocked?.message).to.include('locked by another process');
      expect(Date.now() - started, 'it waited before giving up').to.be.at.least(250);
      expect(await hashConfigFiles(env.dataDir)).to.deep.equal(before);
    } finally {
      await release();
    }
    expect((await impatient.configuration.createPersonality(validRecords().personality)).version).to.equal(1);
  });

  it('takes over a lock left behind by a killed process once it is stale', async function () {
    const lockDir = join(env.dataDir, 'config.lock');
    await mkdir(lockDir);
    const longAgo = new Date(Date.now() - 60_000);
    await utimes(lockDir, longAgo, longAgo);
    const created = await env.configuration.createPersonality(validRecords().personality);
    expect(created.id).to.equal('ada');
  });

  describe('Scenario: a workflow of record steps keeps the locks from its first step to its last', function () {
    /** Whether another process would find the data folder's lock and the audit log's lock taken now. */
    const locksOnDisk = () => ({ folder: existsSync(join(env.dataDir, 'config.lock')), audit: existsSync(join(env.dataDir, 'logs', 'audit.jsonl.lock')) });

    it('between its steps both locks stay taken, so no other process writes in between; three locks in all instead of one per write and audit append', async function () {
      const seen: ReturnType<typeof locksOnDisk>[] = [];
      const passing = misbehave(env.container.get(IRoleService) as never, 'create', { kind: 'transient', times: 0 }).service;
      const watched = { ...passing, create: (...args: Parameters<typeof passing.create>) => (seen.push(locksOnDisk()), passing.create(...args)) };
      const watching = await createTestContainer({ dataDir: env.dataDir, overrides: [[IRoleService, watched]] });
      const acquired = sinon.spy(WriteLock.prototype, 'acquire');

      await watching.configuration.createAgentWithDependencies(agentWithDependencies('kept'));

      expect(seen, 'locks on disk when the second step is called').to.deep.equal([{ folder: true, audit: true }]);
      expect(acquired.callCount, "the workflow's own, the data folder's and the audit log's").to.equal(3);
      expect(locksOnDisk(), 'both released when the run returns').to.deep.equal({ folder: false, audit: false });
    });

    it("a workflow with a custom step takes them step by step: the step's own code runs with the folder unlocked", async function () {
      const seen: ReturnType<typeof locksOnDisk>[] = [];
      const { personality } = validRecords();
      const run = await env.configuration.runWorkflow({
        name: 'custom-between',
        steps: [
          { id: 'p', service: 'personality', action: 'create', input: { ...personality, id: 'custom-p' } },
          { id: 'look', dependsOn: ['p'], custom: { run: async () => seen.push(locksOnDisk()), compensate: async () => undefined } },
        ],
      });
      expect(run.status).to.equal('COMPLETED');
      expect(seen).to.deep.equal([{ folder: false, audit: false }]);
    });
  });
});
