import { expect } from 'chai';
import sinon from 'sinon';
import { AgentcfgError } from '../../../src/domain/errors/agentcfg-error';
import type { ErrorCode } from '../../../src/domain/errors/error-code';
import type { StepService } from '../../../src/domain/workflow/workflow-definition';
import { IServicePolicies } from '../../../src/resilience/service-policies';
import { SERVICE_TOKENS, seedValidRecords } from '../../support/coordination';
import { installFakeClock, settle } from '../../support/fake-clock';
import { loadFixture } from '../../support/fixtures';
import { snapshotRecords } from '../../support/records-snapshot';
import { misbehave, type Misbehaviour } from '../../support/service-fakes';
import { journalOf } from '../../support/store-state';
import { createTestContainer, type TestContainer } from '../../support/test-container';
import { attachRun, timedStep } from '../../support/timing';

interface CommunicationFixture {
  retry: { name: string; service: StepService; method: 'create'; behaviour: Misbehaviour; breakerThreshold?: number; expectedStatus: string; expectedCalls: number; expectedDelaysMs: number[] }[];
  permanent: ErrorCode[];
  breaker: { service: StepService; consecutiveFailures: number; halfOpenAfterMs: number };
  timeout: { name: string; service: StepService; method: 'create'; timeoutMs: number; breakerThreshold: number; expectedAttempts: number };
  workflow: { personality: Record<string, unknown>; role: Record<string, unknown>; agent: Record<string, unknown> };
}

const fixture = loadFixture<CommunicationFixture>('service-coordination/communication-patterns.json');

/** A create-agent-with-dependencies workflow whose three steps hit the personality, role and agent services in turn. */
function threeServiceWorkflow() {
  const { personality, role, agent } = fixture.workflow;
  return {
    name: 'create-agent-with-dependencies',
    steps: [
      { id: 'personality', service: 'personality' as const, action: 'create' as const, input: personality },
      { id: 'role', service: 'role' as const, action: 'create' as const, input: role },
      { id: 'agent', service: 'agent' as const, action: 'create' as const, input: { ...agent, personalityId: { $ref: 'steps.personality.output.id' }, roleId: { $ref: 'steps.role.output.id' } } },
    ],
  };
}

describe('Feature: configuration service communication — retries, breakers and timeouts between services', function () {
  let base: TestContainer;
  let clock: sinon.SinonFakeTimers | undefined;

  beforeEach(async function () {
    base = await createTestContainer();
    await seedValidRecords(base.configuration);
  });

  afterEach(async function () {
    clock?.restore();
    clock = undefined;
    sinon.restore();
    await base.dispose();
  });

  describe('Scenario: transient failures below the retry limit', function () {
    for (const scenario of fixture.retry) {
      it(`${scenario.name}: completes, with backoff delays of ${scenario.expectedDelaysMs.join(' then ')} ms`, async function () {
        const fake = misbehave(base.container.get(SERVICE_TOKENS[scenario.service]) as never, scenario.method, scenario.behaviour);
        const env = await createTestContainer({
          dataDir: base.dataDir,
          overrides: [[SERVICE_TOKENS[scenario.service], fake.service]],
          ...(scenario.breakerThreshold ? { resilience: { breaker: { consecutiveFailures: scenario.breakerThreshold } } } : {}),
        });
        clock = installFakeClock();
        const run = await timedStep(this, 'workflow under fake timers', () => settle(clock as sinon.SinonFakeTimers, env.configuration.runWorkflow(threeServiceWorkflow())));

        attachRun(this, run);
        expect(run.status, JSON.stringify(run.error)).to.equal(scenario.expectedStatus);
        expect(fake.stub.callCount).to.equal(scenario.expectedCalls);
        const step = run.steps.find((s) => s.service === scenario.service);
        expect(step?.attempts).to.equal(scenario.expectedCalls);
        const retries = step?.events.filter((e) => e.kind === 'retry').map((e) => e.delayMs);
        expect(retries, 'delays the policy chose').to.deep.equal(scenario.expectedDelaysMs);
        const gaps = fake.calledAt.slice(1).map((t, i) => t - (fake.calledAt[i] as number));
        expect(gaps, 'time between attempts on the fake clock').to.deep.equal(scenario.expectedDelaysMs);
      });
    }
  });

  describe('Scenario: permanent errors are never retried', function () {
    for (const code of fixture.permanent) {
      it(`${code} from the role service is attempted exactly once, then the workflow compensates`, async function () {
        const before = await snapshotRecords(base.configuration);
        const fake = misbehave(base.container.get(SERVICE_TOKENS.role) as never, 'create', { kind: 'permanent', code });
        const env = await createTestContainer({ dataDir: base.dataDir, overrides: [[SERVICE_TOKENS.role, fake.service]] });
        const run = await env.configuration.runWorkflow(threeServiceWorkflow());
        expect(run.status).to.equal('COMPENSATED');
        expect(fake.stub.callCount).to.equal(1);
        expect(run.steps[1]).to.deep.include({ attempts: 1 });
        expect(run.steps[1]?.events.filter((e) => e.kind === 'retry')).to.deep.equal([]);
        expect(run.error?.code).to.equal(code);
        expect(await snapshotRecords(env.configuration)).to.deep.equal(before);
      });
    }
  });

  describe('Scenario: a circuit breaker per service', function () {
    it('opens after 3 consecutive failures, fails fast without reaching the service, lets one probe through after 5 s, and closes on success', async function () {
      const policies = base.container.get<IServicePolicies>(IServicePolicies);
      const service = fixture.breaker.service;
      const busy = new AgentcfgError('UNAVAILABLE', 'the service is overloaded');
      const call = sinon.stub().rejects(busy);
      clock = installFakeClock();

      let openedAt = 0;
      const onEvent = (event: { kind: string }) => (event.kind === 'break' ? (openedAt = Date.now()) : undefined);
      const first = (await settle(clock, policies.execute(service, call, { onEvent }).catch((e: unknown) => e))) as AgentcfgError;
      expect(call.callCount, 'calls that reached the service').to.equal(fixture.breaker.consecutiveFailures);
      expect(first.message).to.include('circuit breaker is open');
      expect(first.code).to.equal('UNAVAILABLE');
      expect(policies.circuitState(service)).to.equal('open');
      expect(policies.circuitState('personality'), 'breakers are per service').to.equal('closed');

      const fast = (await policies.execute(service, call).catch((e: unknown) => e)) as AgentcfgError;
      expect(fast.message).to.include('failing fast');
      expect(call.callCount, 'the 4th call did not reach the service').to.equal(3);

      await clock.tickAsync(openedAt + fixture.breaker.halfOpenAfterMs - 1 - Date.now());
      await policies.execute(service, call).catch(() => undefined);
      expect(call.callCount, 'still open just before 5 s').to.equal(3);

      await clock.tickAsync(1);
      let releaseProbe: ((value: string) => void) | undefined;
      call.callsFake(() => new Promise<string>((resolve) => (releaseProbe = resolve)));
      const probe = policies.execute(service, call);
      while (!releaseProbe) await clock.tickAsync(0);
      expect(policies.circuitState(service)).to.equal('half-open');
      // A call made while the probe is out waits for its verdict instead of reaching the service too.
      const waiting = policies.execute(service, call);
      for (let i = 0; i < 20; i++) await clock.tickAsync(0);
      expect(call.callCount, 'only the probe reached the service').to.equal(4);
      const release = releaseProbe as (value: string) => void;
      call.resolves('after');
      release('ok');
      expect(await probe).to.equal('ok');
      expect(await waiting).to.equal('after');
      expect(call.callCount).to.equal(5);
      expect(policies.circuitState(service)).to.equal('closed');
    });

    it('an open breaker makes workflows fail fast and compensate, writing nothing, and the journal records the break', async function () {
      const before = await snapshotRecords(base.configuration);
      const fake = misbehave(base.container.get(SERVICE_TOKENS.role) as never, 'create', { kind: 'transient', code: 'UNAVAILABLE' });
      const env = await createTestContainer({ dataDir: base.dataDir, overrides: [[SERVICE_TOKENS.role, fake.service]] });
      clock = installFakeClock();

      const opened = await settle(clock, env.configuration.runWorkflow(threeServiceWorkflow()));
      expect(opened.status).to.equal('COMPENSATED');
      expect(fake.stub.callCount).to.equal(3);
      expect(opened.error?.message).to.include('circuit breaker is open');
      expect(opened.steps[1]?.events.map((e) => e.kind)).to.include('break');

      const failFast = await settle(clock, env.configuration.runWorkflow(threeServiceWorkflow()));
      expect(failFast.status).to.equal('COMPENSATED');
      expect(failFast.error?.code).to.equal('UNAVAILABLE');
      expect(fake.stub.callCount, 'no call reached the role service').to.equal(3);
      expect(await snapshotRecords(env.configuration)).to.deep.equal(before);
      const journal = await journalOf(base, opened.id);
      expect(journal.some((e) => e.event === 'step.policy' && (e.data.event as { kind: string }).kind === 'break')).to.equal(true);
    });
  });

  describe('Scenario: a per-call timeout', function () {
    it(`${fixture.timeout.name}, is retried, and compensates`, async function () {
      const before = await snapshotRecords(base.configuration);
      const fake = misbehave(base.container.get(SERVICE_TOKENS[fixture.timeout.service]) as never, fixture.timeout.method, { kind: 'timeout' });
      const env = await createTestContainer({
        dataDir: base.dataDir,
        overrides: [[SERVICE_TOKENS[fixture.timeout.service], fake.service]],
        resilience: { breaker: { consecutiveFailures: fixture.timeout.breakerThreshold } },
      });
      clock = installFakeClock();
      const started = Date.now();
      const run = await settle(clock, env.configuration.runWorkflow(threeServiceWorkflow()), 20);
      expect(run.status).to.equal('COMPENSATED');
      expect(fake.stub.callCount).to.equal(fixture.timeout.expectedAttempts);
      expect(run.error?.message).to.include(`timed out after ${fixture.timeout.timeoutMs} ms`).and.to.include('retry limit exceeded');
      const timeouts = run.steps[0]?.events.filter((e) => e.kind === 'timeout');
      expect(timeouts).to.have.length(fixture.timeout.expectedAttempts);
      expect(Date.now() - started, 'four 2 s timeouts and 700 ms of backoff on the fake clock').to.be.at.least(4 * 2000 + 700);
      expect(await snapshotRecords(env.configuration)).to.deep.equal(before);
    });
  });

  describe('Scenario: errors keep their context across service boundaries', function () {
    it('names the workflow, step, service, operation and attempt, and keeps the cause chain', async function () {
      const fake = misbehave(base.container.get(SERVICE_TOKENS.agent) as never, 'create', { kind: 'transient', code: 'UNAVAILABLE', message: 'agent store busy' });
      const env = await createTestContainer({ dataDir: base.dataDir, overrides: [[SERVICE_TOKENS.agent, fake.service]], resilience: { retry: { initialDelayMs: 1 }, breaker: { consecutiveFailures: 10 } } });
      const run = await env.configuration.runWorkflow(threeServiceWorkflow());
      expect(run.error?.context).to.include({ workflowId: run.id, stepId: 'agent', service: 'agent', operation: 'create', attempt: 4, retryLimitExceeded: true });
      expect(run.error?.message).to.include('retry limit exceeded after 4 attempts');
      expect(run.error?.causes?.at(-1)).to.equal('agent store busy');

      const thrown = await env.configuration.createAgentWithDependencies(fixture.workflow as never).catch((e: AgentcfgError) => e);
      expect(thrown).to.be.instanceOf(AgentcfgError);
      expect((thrown as AgentcfgError).context).to.include({ stepId: 'agent', workflowStatus: 'COMPENSATED' });
    });

    it('hands each step frozen inputs, so a step cannot change data another step holds', async function () {
      const fake = misbehave(base.container.get(SERVICE_TOKENS.agent) as never, 'create', { kind: 'permanent', code: 'INTERNAL_ERROR' });
      let seen: { frozen: boolean; nestedFrozen: boolean; mutation?: string } | undefined;
      fake.stub.callsFake(async (input: { name: string; modelConfig: object }) => {
        seen = { frozen: Object.isFrozen(input), nestedFrozen: Object.isFrozen(input.modelConfig) };
        try {
          input.name = 'changed by a misbehaving step';
        } catch (error) {
          seen.mutation = (error as Error).message;
        }
        throw new AgentcfgError('INTERNAL_ERROR', 'stop here');
      });
      const env = await createTestContainer({ dataDir: base.dataDir, overrides: [[SERVICE_TOKENS.agent, fake.service]] });
      const run = await env.configuration.runWorkflow(threeServiceWorkflow());
      expect(run.status).to.equal('COMPENSATED');
      expect(seen).to.deep.include({ frozen: true, nestedFrozen: true });
      expect(seen?.mutation).to.match(/read only|read-only|Cannot assign/);
      const journal = await journalOf(base, run.id);
      const intent = journal.find((e) => e.event === 'step.intent' && e.data.stepId === 'agent');
      expect((intent?.data.input as { name: string }).name).to.equal('Cora');
    });

    it('sends retry events to the structured log as well as the journal', async function () {
      const logger = { debug: sinon.fake(), info: sinon.fake(), warn: sinon.fake(), error: sinon.fake() };
      const fake = misbehave(base.container.get(SERVICE_TOKENS.personality) as never, 'create', { kind: 'transient', times: 1 });
      const env = await createTestContainer({ dataDir: base.dataDir, logger, overrides: [[SERVICE_TOKENS.personality, fake.service]], resilience: { retry: { initialDelayMs: 1 } } });
      const run = await env.configuration.runWorkflow(threeServiceWorkflow());
      expect(run.status).to.equal('COMPLETED');
      const retryLog = logger.info.getCalls().find((c) => (c.args[0] as { kind?: string }).kind === 'retry');
      expect(retryLog?.args[0]).to.include({ service: 'personality', attempt: 1, delayMs: 1 });
      expect(run.steps[0]?.events.map((e) => e.kind)).to.deep.equal(['retry']);
    });
  });
});
