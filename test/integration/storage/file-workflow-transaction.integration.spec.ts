import { expect } from 'chai';
import type { IRecordService } from '../../../src/services/shared/record-service';
import { SERVICE_TOKENS, seedValidRecords } from '../../support/coordination';
import { validRecords } from '../../support/records';
import { createTestContainer, describeFileStoreOnly, type TestContainer } from '../../support/test-container';

type AnyService = IRecordService<unknown, unknown, unknown>;

/** Updates ada, then creates a role: two steps, run as one transaction. */
const retune = {
  name: 'retune',
  steps: [
    { id: 'p', service: 'personality', action: 'update', input: { id: 'ada', patch: { customInstructions: 'From the workflow.' } } },
    { id: 'r', service: 'role', action: 'create', input: { ...validRecords().role, id: 'fresh', name: 'Fresh' } },
  ],
};

describeFileStoreOnly('Feature: on a data folder, a workflow of record steps is one transaction', function () {
  let env: TestContainer;
  let other: TestContainer;

  beforeEach(async function () {
    env = await createTestContainer();
    await seedValidRecords(env.configuration);
    // Another writer on the same folder, as another process would be.
    other = await createTestContainer({ dataDir: env.dataDir });
  });

  afterEach(async function () {
    await other.dispose();
    await env.dispose();
  });

  /** The statuses of the stored runs of `retune`. */
  const retunes = async () => (await other.configuration.listWorkflows()).filter((w) => w.name === 'retune').map((w) => w.status);

  /** The folder opened with its role service's create running `meanwhile` first, each time it is called. */
  async function withRoleCreate(meanwhile: (call: number) => Promise<void>): Promise<TestContainer> {
    const real = env.container.get<AnyService>(SERVICE_TOKENS.role);
    let calls = 0;
    const service = Object.create(real) as AnyService;
    service.create = async (...args: Parameters<AnyService['create']>) => {
      await meanwhile(++calls);
      return real.create(...args);
    };
    return createTestContainer({ dataDir: env.dataDir, overrides: [[SERVICE_TOKENS.role, service]] });
  }

  it("others see nothing of a running workflow, and all of it once it returns; its own later steps see its earlier ones", async function () {
    let seenByOthers: string | undefined;
    const faked = await withRoleCreate(async () => {
      seenByOthers = (await other.configuration.getPersonality('ada'))?.customInstructions;
    });
    const run = await faked.configuration.runWorkflow(retune);
    expect(run.status).to.equal('COMPLETED');
    expect(seenByOthers, 'the update, not yet stored, while the workflow runs').to.equal(validRecords().personality.customInstructions);
    expect((await other.configuration.getPersonality('ada'))?.customInstructions).to.equal('From the workflow.');
    expect((await other.configuration.getRole('fresh'))?.name).to.equal('Fresh');
    expect((await other.configuration.getWorkflow(run.id))?.status).to.equal('COMPLETED');
    await faked.dispose();
  });

  it('a workflow whose record another process changed while it ran stores nothing of that run, and runs again whole', async function () {
    const faked = await withRoleCreate(async (call) => {
      if (call === 1) await other.configuration.updatePersonality('ada', { humor: 11 });
    });
    const before = (await env.configuration.auditEntries()).length;
    const run = await faked.configuration.runWorkflow(retune);
    expect(run.status).to.equal('COMPLETED');

    const ada = await other.configuration.getPersonality('ada');
    expect(ada, "both changes: the other process's, and the workflow run again on top of it").to.deep.include({ humor: 11, customInstructions: 'From the workflow.', version: 3 });
    expect(await retunes(), 'only the run that was stored').to.deep.equal(['COMPLETED']);
    const added = (await other.configuration.auditEntries()).slice(before);
    const stored = new Set((await other.configuration.listWorkflows()).map((w) => w.id));
    expect(added.filter((e) => e.workflowId !== undefined && !stored.has(e.workflowId)), 'audit entries of a run not stored (the lost one)').to.deep.equal([]);
    expect(added.filter((e) => e.action === 'personality.update'), "the other process's update and the stored run's").to.have.length(2);
    await faked.dispose();
  });

  it('a workflow whose record keeps being changed under it gives up after four runs, UNAVAILABLE, and stores nothing', async function () {
    const faked = await withRoleCreate(async (call) => {
      await other.configuration.updatePersonality('ada', { humor: call });
    });
    const error = (await expect(faked.configuration.runWorkflow(retune)).to.be.rejected) as { code: string; message: string };
    expect(error.code).to.equal('UNAVAILABLE');
    expect(error.message).to.include('changed by another process');
    expect((await other.configuration.getPersonality('ada'))?.customInstructions).to.equal(validRecords().personality.customInstructions);
    expect(await other.configuration.getRole('fresh')).to.equal(null);
    expect(await retunes(), 'no run stored').to.deep.equal([]);
    await faked.dispose();
  });
});
