import { expect } from 'chai';
import { Client } from 'pg';
import { createConfigurationService } from '../../../src/create-configuration-service';
import { hasErrorCode } from '../../../src/domain/errors/agentcfg-error';
import type { IConfigurationService } from '../../../src/services/configuration/configuration-service';
import { startThrowawayCluster, type ThrowawayCluster } from '../../support/postgres/throwaway-cluster';
import { validRecords } from '../../support/records';
import { runCliInProcess } from '../../support/run-cli-in-process';

/** The error a call fails with, and how long it took to fail. */
async function failure(call: () => Promise<unknown>): Promise<{ error: unknown; ms: number }> {
  const started = Date.now();
  try {
    await call();
  } catch (error) {
    return { error, ms: Date.now() - started };
  }
  throw new Error('expected the call to fail while the server is down');
}

describe('Feature: the PostgreSQL server goes away and comes back', function () {
  this.timeout(120_000);
  let cluster: ThrowawayCluster;
  let configuration: IConfigurationService;

  beforeEach(async function () {
    cluster = await startThrowawayCluster();
    const migrated = await runCliInProcess(['--store', cluster.ownerUrl, '--json', 'db', 'migrate']);
    expect(migrated.code, migrated.stdout).to.equal(0);
    configuration = await createConfigurationService({ store: { url: cluster.url, breaker: { failuresToOpen: 2, halfOpenAfterMs: 500 } } });
  });
  afterEach(async function () {
    await configuration.close();
    await cluster.stop();
  });

  it('while it is down, reads return the last snapshot marked degraded and writes fail fast; back up, writes succeed again', async function () {
    const { personality } = validRecords();
    await configuration.createPersonality(personality);
    const before = await configuration.getAllPersonalities();
    expect(configuration.health()).to.deep.equal({ degraded: false });

    await cluster.halt();
    expect(await configuration.getAllPersonalities()).to.deep.equal(before);
    expect(await configuration.getPersonality(personality.id)).to.deep.equal(before.find((p) => p.id === personality.id));
    expect(configuration.health()).to.include({ degraded: true });
    for (let attempt = 0; attempt < 4; attempt++) {
      const { error, ms } = await failure(() => configuration.updatePersonality(personality.id, { humor: 11 }));
      expect(hasErrorCode(error, 'UNAVAILABLE'), String(error)).to.equal(true);
      expect(ms, 'a write fails fast, not after a connection timeout').to.be.lessThan(2_000);
    }

    await cluster.resume();
    const deadline = Date.now() + 15_000;
    let updated;
    while (!updated) {
      try {
        updated = await configuration.updatePersonality(personality.id, { humor: 11 });
      } catch (error) {
        if (!hasErrorCode(error, 'UNAVAILABLE') || Date.now() > deadline) throw error;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
    expect(updated.humor).to.equal(11);
    expect((await configuration.getPersonality(personality.id))?.version).to.equal(2);
    expect(configuration.health()).to.deep.equal({ degraded: false });
  });

  it('a restart mid-run loses no acknowledged write, and calls in flight end UNAVAILABLE or succeed, never INTERNAL', async function () {
    const { personality } = validRecords();
    await configuration.createPersonality({ ...personality, customInstructions: '' });
    const acknowledged: number[] = [];
    const refusals = new Set<string>();
    const writes = (async () => {
      for (let i = 1; i <= 120; i++) {
        try {
          const current = await configuration.getPersonality(personality.id);
          const note = current?.customInstructions ? `${current.customInstructions},${i}` : String(i);
          await configuration.updatePersonality(personality.id, { customInstructions: note });
          acknowledged.push(i);
        } catch (error) {
          refusals.add(hasErrorCode(error, 'UNAVAILABLE') ? 'UNAVAILABLE' : hasErrorCode(error, 'CONFLICT') ? 'CONFLICT' : String((error as Error).stack));
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
      }
    })();
    await new Promise((resolve) => setTimeout(resolve, 300));
    await cluster.halt('immediate');
    await new Promise((resolve) => setTimeout(resolve, 300));
    await cluster.resume();
    await writes;
    expect([...refusals].filter((r) => r !== 'UNAVAILABLE' && r !== 'CONFLICT')).to.deep.equal([]);
    expect(acknowledged.length, 'most writes went through').to.be.greaterThan(60);
    const after = await configuration.getPersonality(personality.id);
    // Every acknowledged write is there: each wrote its number after the ones before it.
    const written = (after?.customInstructions ?? '').split(',').map(Number);
    for (const i of acknowledged) expect(written, `acknowledged write ${i}`).to.include(i);
    expect(after?.version).to.equal(1 + written.length);
  });

  it('a backend terminated in the middle of a commit is retried: the call succeeds', async function () {
    const { personality } = validRecords();
    await configuration.createPersonality(personality);
    // The app's own role may end its own backends (no superuser needed).
    const killer = new Client({ connectionString: cluster.url });
    await killer.connect();
    try {
      // Holds the commit lock, so the update's transaction waits inside; then its backend is terminated.
      await killer.query('BEGIN');
      await killer.query('SELECT pg_advisory_xact_lock(7420000)');
      const update = configuration.updatePersonality(personality.id, { humor: 33 });
      let victim: number | undefined;
      for (let i = 0; i < 100 && victim === undefined; i++) {
        const { rows } = await killer.query<{ pid: number }>(`SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND objid = 7420000 AND NOT granted`);
        victim = rows[0]?.pid;
        if (victim === undefined) await new Promise((resolve) => setTimeout(resolve, 20));
      }
      expect(victim, 'the update waits on the lock').to.be.a('number');
      await killer.query('SELECT pg_terminate_backend($1)', [victim]);
      await killer.query('COMMIT');
      expect((await update).humor).to.equal(33);
    } finally {
      await killer.end();
    }
    expect((await configuration.getPersonality(personality.id))?.version).to.equal(2);
  });

  // Where the workflow's transaction is made to wait, so its backend can be terminated there: on a record its
  // second step updates (mid-step), and on the audit chain's lock taken just before COMMIT (mid-store).
  const holds = [
    { where: 'in the middle of a step', sql: (ids: { personality: string }) => [`SELECT 1 FROM agentcfg_personalities WHERE id = $1 FOR UPDATE`, [ids.personality]] as const, lock: 'transactionid' },
    { where: 'while it is being stored', sql: () => ['SELECT pg_advisory_xact_lock(7420002)', []] as const, lock: 'advisory' },
  ];
  for (const hold of holds) {
    it(`a backend terminated ${hold.where} of a workflow's transaction: nothing of that try is stored, the workflow runs again whole and completes once`, async function () {
      const { personality, role } = validRecords();
      await configuration.createPersonality(personality);
      const definition = {
        name: 'new-role-and-calmer',
        steps: [
          { id: 'newRole', service: 'role', action: 'create', input: { ...role, id: 'reviewer', name: 'Reviewer' } },
          { id: 'calmer', service: 'personality', action: 'update', input: { id: personality.id, patch: { neuroticism: 5 } } },
        ],
      };
      const killer = new Client({ connectionString: cluster.url });
      await killer.connect();
      let run;
      try {
        await killer.query('BEGIN');
        const [sql, values] = hold.sql({ personality: personality.id });
        await killer.query(sql, [...values]);
        const running = configuration.runWorkflow(definition);
        let victim: number | undefined;
        for (let i = 0; i < 200 && victim === undefined; i++) {
          const { rows } = await killer.query<{ pid: number }>('SELECT pid FROM pg_locks WHERE locktype = $1 AND NOT granted AND pid <> pg_backend_pid()', [hold.lock]);
          victim = rows[0]?.pid;
          if (victim === undefined) await new Promise((resolve) => setTimeout(resolve, 10));
        }
        expect(victim, "the workflow's transaction waits on the held lock").to.be.a('number');
        await killer.query('SELECT pg_terminate_backend($1)', [victim]);
        await killer.query('COMMIT');
        run = await running;
      } finally {
        await killer.end();
      }
      expect(run.status, JSON.stringify(run.error)).to.equal('COMPLETED');
      expect((await configuration.getPersonality(personality.id))?.version, 'the update is made once').to.equal(2);
      expect((await configuration.getRole('reviewer'))?.version).to.equal(1);
      expect((await configuration.listWorkflows()).map((w) => [w.id, w.status]), 'only the run that completed is stored').to.deep.equal([[run.id, 'COMPLETED']]);
      const admin = configuration.as({ actor: 'auditor', access: 'admin' });
      const entries = await admin.auditEntries();
      expect(entries.filter((e) => e.action === 'personality.update').map((e) => e.workflowId), 'one audited update, of the run that completed').to.deep.equal([run.id]);
      expect(await admin.verifyAudit()).to.include({ ok: true });
    });
  }
});
