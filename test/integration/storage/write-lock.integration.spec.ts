import { expect } from 'chai';
import { mkdir, utimes } from 'node:fs/promises';
import { join } from 'node:path';
import lockfile from 'proper-lockfile';
import type { AgentcfgError } from '../../../src/domain/errors/agentcfg-error';
import { hashConfigFiles } from '../../support/disk';
import { validRecords } from '../../support/records';
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
});
