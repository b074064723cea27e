import { expect } from 'chai';
import sinon from 'sinon';
import type { AgentcfgError } from '../../../src/domain/errors/agentcfg-error';
import { FAST_RESILIENCE, SERVICE_TOKENS, callOrdinal, multiServiceWorkflows, seedValidRecords } from '../../support/coordination';
import { compensationOrder, intentOrder, statusTrail } from '../../support/journals';
import { snapshotRecords } from '../../support/records-snapshot';
import { validRecords } from '../../support/records';
import { runCli } from '../../support/run-cli';
import { misbehave } from '../../support/service-fakes';
import { journalOf, journalsOf } from '../../support/store-state';
import { createTestContainer, type TestContainer } from '../../support/test-container';
import { attachRun, timedStep } from '../../support/timing';
import type { WorkflowRun } from '../../../src/workflow/workflow-run';

const fixture = multiServiceWorkflows();

describe('Feature: configuration workflow coordination — all or nothing across services', function () {
  let base: TestContainer;

  beforeEach(async function () {
    base = await createTestContainer();
    await seedValidRecords(base.configuration);
  });

  afterEach(() => base.dispose());

  for (const workflow of fixture.workflows) {
    describe(`Scenario: ${workflow.name}`, function () {
      it('completes every step in order through PENDING → RUNNING → COMPLETED, with per-step timings', async function () {
        const run = await timedStep(this, 'run workflow', () => base.configuration.runWorkflow(workflow.definition));
        attachRun(this, run);
        expect(run.status, JSON.stringify(run.error)).to.equal('COMPLETED');
        expect(run.steps.map((s) => s.status)).to.deep.equal(workflow.definition.steps.map(() => 'COMPLETED'));
        for (const step of run.steps) {
          expect(step.attempts).to.equal(1);
          expect(step.durationMs).to.be.a('number').and.at.least(0);
          expect(Date.parse(step.endedAt as string)).to.be.at.least(Date.parse(step.startedAt as string));
        }
        const entries = await journalOf(base, run.id);
        expect(entries[0]?.event).to.equal('workflow.started');
        expect(statusTrail(entries)).to.deep.equal(['RUNNING', 'COMPLETED']);
        expect(intentOrder(entries)).to.deep.equal(workflow.definition.steps.map((s) => s.id));
      });

      workflow.definition.steps.forEach((step, index) => {
        for (const failure of fixture.failureKinds) {
          it(`undoes everything when step '${step.id}' (${step.service} ${step.action}) fails: ${failure.kind}`, async function () {
            const before = await snapshotRecords(base.configuration);
            const real = base.container.get(SERVICE_TOKENS[step.service]);
            const { service, stub, idle } = misbehave(real as never, step.action, failure.behaviour, callOrdinal(workflow.definition.steps, index));
            const env = await createTestContainer({ dataDir: base.dataDir, overrides: [[SERVICE_TOKENS[step.service], service]], resilience: FAST_RESILIENCE });

            const run = await timedStep(this, 'run workflow with a failing step', () => env.configuration.runWorkflow(workflow.definition));
            attachRun(this, run);
            await idle(); // late writes must have been refused by now, not merely not yet arrived

            expect(run.status, JSON.stringify(run.steps.map((s) => [s.id, s.status, s.error?.message]))).to.equal('COMPENSATED');
            expect(run.error?.code).to.equal(failure.expectedCode);
            expect(run.error?.message).to.include(failure.messageIncludes);
            expect(run.error?.context).to.include({ workflowId: run.id, stepId: step.id, service: step.service, operation: step.action });
            const failed = run.steps[index];
            expect(failed?.attempts, 'attempts of the failing step').to.equal(failure.expectedAttempts);
            expect(stub.callCount - (callOrdinal(workflow.definition.steps, index) - 1)).to.equal(failure.expectedAttempts);
            expect(run.steps.slice(0, index + 1).map((s) => s.status)).to.deep.equal(run.steps.slice(0, index + 1).map(() => 'COMPENSATED'));
            expect(run.steps.slice(index + 1).map((s) => s.status)).to.deep.equal(run.steps.slice(index + 1).map(() => 'PENDING'));

            const entries = await journalOf(base, run.id);
            expect(statusTrail(entries)).to.deep.equal(['RUNNING', 'COMPENSATING', 'COMPENSATED']);
            expect(intentOrder(entries)).to.deep.equal(workflow.definition.steps.slice(0, index + 1).map((s) => s.id));
            expect(compensationOrder(entries), 'undone newest first').to.deep.equal([...intentOrder(entries)].reverse());
            expect(await snapshotRecords(env.configuration)).to.deep.equal(before);
          });
        }
      });
    });
  }

  describe('Scenario: an undo that itself fails', function () {
    it('ends FAILED listing the steps it could not undo, and `workflow recover` retries them', async function () {
      const workflow = fixture.workflows.find((w) => w.definition.name === 'retune-agent');
      if (!workflow) throw new Error('fixture workflow retune-agent is missing');
      const before = await snapshotRecords(base.configuration);
      const agentFake = misbehave(base.container.get(SERVICE_TOKENS.agent) as never, 'update', { kind: 'permanent', code: 'CONFLICT' });
      const roleFake = misbehave(base.container.get(SERVICE_TOKENS.role) as never, 'revert', { kind: 'permanent', code: 'INTERNAL_ERROR', message: 'the role store is read-only' });
      const env = await createTestContainer({
        dataDir: base.dataDir,
        overrides: [[SERVICE_TOKENS.agent, agentFake.service], [SERVICE_TOKENS.role, roleFake.service]],
        resilience: FAST_RESILIENCE,
      });

      const run = await env.configuration.runWorkflow(workflow.definition);
      expect(run.status).to.equal('FAILED');
      expect(run.unresolved).to.deep.equal(['sharperRole', 'calmer']);
      expect(run.steps.map((s) => s.status)).to.deep.equal(['COMPLETED', 'COMPENSATION_FAILED', 'COMPENSATED']);
      expect(run.steps[1]?.error?.message).to.include('the role store is read-only');
      expect((await env.configuration.getPersonality('ada'))?.neuroticism, 'the older step is not undone under a newer one').to.equal(5);

      const recovered = await runCli([...base.cliStore, 'workflow', 'recover', '--json']);
      expect(recovered.code, recovered.stdout + recovered.stderr).to.equal(0);
      const reports = recovered.json<{ data: { workflowId: string; from: string; to: string; compensated: string[] }[] }>().data;
      const report = reports.find((r) => r.workflowId === run.id);
      expect(report).to.deep.include({ from: 'FAILED', to: 'COMPENSATED', compensated: ['sharperRole', 'calmer'] });

      const shown = await runCli([...base.cliStore, 'workflow', 'show', run.id, '--json']);
      expect(shown.json<{ data: { status: string } }>().data.status).to.equal('COMPENSATED');
      expect(await snapshotRecords(base.configuration)).to.deep.equal(before);
    });

    it('reports a FAILED built-in workflow as an error naming the steps left undone', async function () {
      const personalityFake = misbehave(base.container.get(SERVICE_TOKENS.personality) as never, 'revert', { kind: 'permanent', code: 'INTERNAL_ERROR' });
      const env = await createTestContainer({ dataDir: base.dataDir, overrides: [[SERVICE_TOKENS.personality, personalityFake.service]], resilience: FAST_RESILIENCE });
      const error = (await expect(
        env.configuration.createAgentWithDependencies({
          personality: { ...validRecords().personality, id: 'ada2' },
          role: 'reviewer',
          agent: { name: 'Bad', color: 'not-a-colour', modelConfig: { provider: 'openai', modelId: 'gpt-4o' } },
        }),
      ).to.be.rejected) as AgentcfgError;
      expect(error.code).to.equal('VALIDATION_ERROR');
      expect(error.message).to.include('FAILED').and.to.include('could not undo steps personality');
      expect(error.context).to.include({ workflowStatus: 'FAILED' });
    });
  });

  describe('Scenario: custom steps bring their own compensation', function () {
    const notebook: string[] = [];
    const noteStep = (id: string, fail = false) => ({
      id,
      custom: {
        run: async (input: unknown) => {
          if (fail) throw new Error('the notebook is full');
          notebook.push(id);
          return { note: id, input, roleId: 'critic' };
        },
        compensate: sinon.fake(async (output: unknown) => {
          notebook.splice(notebook.indexOf((output as { note: string }).note), 1);
        }),
      },
    });

    beforeEach(() => notebook.splice(0));

    it('feeds a later step through $ref, and is undone with its own compensate, newest first', async function () {
      const before = await snapshotRecords(base.configuration);
      const pick = noteStep('pick');
      const run = await base.configuration.runWorkflow({
        name: 'custom-then-fail',
        steps: [
          { id: 'p', service: 'personality', action: 'create', input: { ...validRecords().personality, id: 'pat' } },
          { ...pick, input: { why: 'choose a role' } },
          { id: 'a', service: 'agent', action: 'create', input: { ...validRecords().agent, id: 'pat-agent', personalityId: 'pat', roleId: { $ref: 'steps.pick.output.roleId' } } },
          { id: 'boom', service: 'role', action: 'delete', input: { id: 'no-such-role' } },
        ],
      });
      expect(run.status).to.equal('COMPENSATED');
      expect(run.error?.code).to.equal('NOT_FOUND');
      expect(run.steps.find((s) => s.id === 'pick')).to.deep.include({ service: 'custom', status: 'COMPENSATED' });
      expect(pick.custom.compensate.calledOnceWith(sinon.match({ note: 'pick', roleId: 'critic' }))).to.equal(true);
      expect(notebook).to.deep.equal([]);
      expect(compensationOrder(await journalOf(base, run.id))).to.deep.equal(['a', 'pick', 'p']);
      expect(await snapshotRecords(base.configuration)).to.deep.equal(before);
    });

    it('a custom step whose own code fails is not compensated, but the steps before it are', async function () {
      const before = await snapshotRecords(base.configuration);
      const broken = noteStep('broken', true);
      const run = await base.configuration.runWorkflow({
        name: 'custom-fails',
        steps: [{ id: 'p', service: 'personality', action: 'create', input: { ...validRecords().personality, id: 'pat' } }, broken],
      });
      expect(run.status).to.equal('COMPENSATED');
      expect(run.error?.message).to.include('the notebook is full');
      expect(broken.custom.compensate.called).to.equal(false);
      expect(await snapshotRecords(base.configuration)).to.deep.equal(before);
    });

    it('refuses a custom step without a compensate function', async function () {
      const error = (await expect(
        base.configuration.runWorkflow({ name: 'no-undo', steps: [{ id: 'x', custom: { run: async () => 1 } }] }),
      ).to.be.rejected) as AgentcfgError;
      expect(error.code).to.equal('VALIDATION_ERROR');
      expect(error.details.map((d) => d.path)).to.include('steps.0.custom');
    });
  });

  describe('Scenario: many workflows asked for at once in one process', function () {
    it('32 create-agent workflows started together all complete, one after another, with the default timeouts', async function () {
      this.timeout(120_000);
      const valid = validRecords();
      const requests = Array.from({ length: 32 }, (_, i) => ({
        personality: { ...valid.personality, id: `many-p${i}` },
        role: { ...valid.role, id: `many-r${i}` },
        agent: { ...valid.agent, id: `many-a${i}`, personalityId: `many-p${i}`, roleId: `many-r${i}` },
      }));
      const outcomes = await timedStep(this, '32 workflows at once', () => Promise.allSettled(requests.map((r) => base.configuration.createAgentWithDependencies(r))));
      const refused = outcomes.flatMap((o) => (o.status === 'rejected' ? [(o.reason as Error).message] : []));
      expect(refused, 'workflows refused').to.deep.equal([]);
      const agents = new Set((await base.configuration.getAllAgents()).map((a) => a.id));
      for (const r of requests) expect(agents.has(r.agent.id), r.agent.id).to.equal(true);
      const runs = (await base.configuration.listWorkflows()).filter((run) => run.name === 'create-agent-with-dependencies');
      expect(runs).to.have.length(32);
      const inOrder = [...runs].sort((a, b) => a.startedAt.localeCompare(b.startedAt));
      for (let i = 1; i < inOrder.length; i++) {
        const [before, after] = [inOrder[i - 1] as WorkflowRun, inOrder[i] as WorkflowRun];
        expect(Date.parse(after.startedAt), `workflow ${i + 1} started before workflow ${i} ended`).to.be.at.least(Date.parse(before.updatedAt));
      }
      expect((await base.configuration.verify()).findings).to.deep.equal([]);
    });

    it('a workflow started by a custom step of another runs at once instead of waiting for it', async function () {
      const valid = validRecords();
      const nested = {
        id: 'nested',
        custom: {
          run: async () => (await base.configuration.runWorkflow({ name: 'inner', steps: [{ id: 'p', service: 'personality', action: 'create', input: { ...valid.personality, id: 'inner-p' } }] })).status,
          compensate: async () => undefined,
        },
      };
      const run = await base.configuration.runWorkflow({ name: 'outer', steps: [nested] });
      expect(run.status).to.equal('COMPLETED');
      expect(run.steps[0]?.output).to.equal('COMPLETED');
      expect(await base.configuration.getPersonality('inner-p')).to.not.equal(null);
    });
  });

  describe('Scenario: invalid workflows are refused before anything runs', function () {
    for (const invalid of fixture.invalidWorkflows) {
      it(`refuses ${invalid.name} with VALIDATION_ERROR and writes no journal`, async function () {
        const before = await snapshotRecords(base.configuration);
        const error = (await expect(base.configuration.runWorkflow(invalid.definition)).to.be.rejected) as AgentcfgError;
        expect(error.code).to.equal('VALIDATION_ERROR');
        if (invalid.paths) expect(error.details.map((d) => d.path)).to.include.members(invalid.paths);
        if (invalid.messageIncludes) expect(error.message).to.include(invalid.messageIncludes);
        expect(await journalsOf(base)).to.deep.equal([]);
        expect(await snapshotRecords(base.configuration)).to.deep.equal(before);
      });
    }
  });
});
