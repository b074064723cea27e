import { expect } from 'chai';
import { existsSync } from 'node:fs';
import { mkdir, utimes } from 'node:fs/promises';
import { join } from 'node:path';
import lockfile from 'proper-lockfile';
import type { AgentcfgError } from '../../../src/domain/errors/agentcfg-error';
import { IRoleService } from '../../../src/services/role/role-service';
import { hashConfigFiles } from '../../support/disk';
import { agentWithDependencies, validRecords } from '../../support/records';
import { misbehave } from '../../support/service-fakes';
import { createTestContainer, type TestContainer } from '../../support/test-container';
import { WriteLock } from '../../../src/storage/write-lock';

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

  it('names the process and host that hold the lock when it gives up, so the user knows whom to wait for', async function () {
    const impatient = await createTestContainer({ dataDir: env.dataDir, lockTimeoutMs: 300 });
    const holder = new WriteLock(join(env.dataDir, 'config'), { timeoutMs: 1000, staleMs: 5000, confineTo: env.dataDir });
    const release = await holder.acquire();
    try {
      const blocked = await impatient.configuration.createPersonality(validRecords().personality).then(
        () => null,
        (e: AgentcfgError) => e,
      );
      expect(blocked?.code).to.equal('UNAVAILABLE');
      expect(blocked?.message).to.include(`locked by process ${process.pid} on this host`);
    } finally {
      await release();
    }
    expect(existsSync(join(env.dataDir, 'config.lock')), 'released: no lock left').to.equal(false);
    expect(existsSync(join(env.dataDir, 'config.lock.owner')), 'nor its owner record').to.equal(false);
  });

  it('takes over a lock left behind by a killed process once it is stale', async function () {
    const lockDir = join(env.dataDir, 'config.lock');
    await mkdir(lockDir);
    const longAgo = new Date(Date.now() - 60_000);
    await utimes(lockDir, longAgo, longAgo);
    const created = await env.configuration.createPersonality(validRecords().personality);
    expect(created.id).to.equal('ada');
  });

  describe('Scenario: a workflow takes the locks step by step, so it does not starve other processes', function () {
    /** Whether another process would find the data folder's lock and the audit log's lock taken now. */
    const locksOnDisk = () => ({ folder: existsSync(join(env.dataDir, 'config.lock')), audit: existsSync(join(env.dataDir, 'logs', 'audit.jsonl.lock')) });

    it('between its steps both locks are free: another process can write there (kept for a whole workflow, a process re-taking them at once starves the others)', async function () {
      const seen: ReturnType<typeof locksOnDisk>[] = [];
      const passing = misbehave(env.container.get(IRoleService) as never, 'create', { kind: 'transient', times: 0 }).service;
      const watched = { ...passing, create: (...args: Parameters<typeof passing.create>) => (seen.push(locksOnDisk()), passing.create(...args)) };
      const watching = await createTestContainer({ dataDir: env.dataDir, overrides: [[IRoleService, watched]] });

      await watching.configuration.createAgentWithDependencies(agentWithDependencies('stepwise'));

      expect(seen, 'locks on disk when the second step is called').to.deep.equal([{ folder: false, audit: false }]);
      expect(locksOnDisk(), 'both released when the run returns').to.deep.equal({ folder: false, audit: false });
    });
  });
});
