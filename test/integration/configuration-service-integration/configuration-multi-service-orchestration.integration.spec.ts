import { expect } from 'chai';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { AgentcfgError } from '../../../src/domain/errors/agentcfg-error';
import { withoutManagedFields } from '../../../src/domain/bundle';
import { multiServiceWorkflows, seedValidRecords } from '../../support/coordination';
import { intentOrder } from '../../support/journals';
import { validRecords } from '../../support/records';
import { snapshotRecords } from '../../support/records-snapshot';
import { runCli } from '../../support/run-cli';
import { runCliInProcess } from '../../support/run-cli-in-process';
import { journalOf, storedRecords } from '../../support/store-state';
import { createTestContainer, type TestContainer } from '../../support/test-container';
import { attachRun, timedStep } from '../../support/timing';

const SPEC_BOUND_MS = 2000;

function bodies(records: Record<string, unknown>[]): Record<string, unknown>[] {
  return records.map(withoutManagedFields).sort((a, b) => String(a.id).localeCompare(String(b.id)));
}

describe('Feature: multi-service orchestration through the ConfigurationService', function () {
  let env: TestContainer;
  const valid = validRecords();

  beforeEach(async function () {
    env = await createTestContainer();
  });

  afterEach(() => env.dispose());

  describe('Scenario: create an agent with its dependencies', function () {
    it(`creates personality, role and agent in one workflow well within ${SPEC_BOUND_MS} ms`, async function () {
      const started = Date.now();
      const { result, workflow } = await timedStep(this, 'createAgentWithDependencies', () =>
        env.configuration.createAgentWithDependencies({ personality: valid.personality, role: valid.role, agent: valid.agent }),
      );
      attachRun(this, workflow);
      expect(Date.now() - started).to.be.below(SPEC_BOUND_MS);
      expect(workflow.status).to.equal('COMPLETED');
      expect(workflow.steps.map((s) => [s.id, s.status])).to.deep.equal([['personality', 'COMPLETED'], ['role', 'COMPLETED'], ['agent', 'COMPLETED']]);
      expect(result.agent).to.include({ id: 'ada-reviewer', personalityId: 'ada', roleId: 'reviewer', version: 1 });
      expect(result.personality.id).to.equal('ada');
      expect(result.role.id).to.equal('reviewer');
      expect(await env.configuration.getAgent('ada-reviewer')).to.deep.equal(result.agent);
    });

    it('uses an existing personality and role given by id, creating only the agent', async function () {
      const { result, workflow } = await env.configuration.createAgentWithDependencies({
        personality: 'balanced',
        role: 'critic',
        agent: { name: 'Crit', color: '#990000', modelConfig: { provider: 'ollama', modelId: 'mistral' } },
      });
      expect(workflow.steps.map((s) => s.id)).to.deep.equal(['agent']);
      expect(result.agent).to.include({ personalityId: 'balanced', roleId: 'critic' });
      expect(result.personality.isTemplate).to.equal(true);
    });

    it('leaves nothing behind when the agent cannot be created (missing role)', async function () {
      const before = await snapshotRecords(env.configuration);
      const error = (await expect(
        env.configuration.createAgentWithDependencies({ personality: valid.personality, role: 'no-such-role', agent: valid.agent }),
      ).to.be.rejected) as AgentcfgError;
      expect(error.code).to.equal('REFERENCE_ERROR');
      expect(error.message).to.include('COMPENSATED').and.to.include('every change was undone');
      expect(error.context).to.include({ stepId: 'agent', workflowStatus: 'COMPENSATED' });
      expect(await snapshotRecords(env.configuration)).to.deep.equal(before);
    });

    it('returns the run its journal on disk holds, for a workflow that completes and for one that is compensated', async function () {
      const completed = await env.configuration.runWorkflow({
        name: 'made',
        steps: [{ id: 'p', service: 'personality', action: 'create', input: { ...valid.personality, id: 'journaled' } }],
      });
      const compensated = await env.configuration.runWorkflow({
        name: 'undone',
        steps: [
          { id: 'p', service: 'personality', action: 'create', input: { ...valid.personality, id: 'journaled-too' } },
          { id: 'a', service: 'agent', action: 'create', input: { ...valid.agent, id: 'orphan', personalityId: 'journaled-too', roleId: 'no-such-role' }, dependsOn: ['p'] },
        ],
      });
      expect([completed.status, compensated.status]).to.deep.equal(['COMPLETED', 'COMPENSATED']);
      const reopened = await createTestContainer({ dataDir: env.dataDir });
      for (const run of [completed, compensated]) {
        expect(await reopened.configuration.getWorkflow(run.id), run.name).to.deep.equal(run);
        expect((await journalOf(env, run.id)).length, `${run.name}: entries on disk`).to.be.greaterThan(run.status === 'COMPLETED' ? 4 : 6);
      }
    });

    it('refuses a malformed request before any workflow starts', async function () {
      const error = (await expect(env.configuration.createAgentWithDependencies({ personality: 5, agent: {} } as never)).to.be.rejected) as AgentcfgError;
      expect(error.code).to.equal('VALIDATION_ERROR');
      expect(error.details.map((d) => d.path)).to.include.members(['personality', 'role']);
      expect(await env.configuration.listWorkflows()).to.deep.equal([]);
    });
  });

  describe('Scenario: cascading delete of a personality', function () {
    it('deletes the agents that use it, then the personality, in one workflow', async function () {
      await seedValidRecords(env.configuration);
      await env.configuration.createAgent({ ...valid.agent, id: 'second', name: 'Second' });
      await env.configuration.createAgent({ ...valid.agent, id: 'other', name: 'Other', personalityId: 'balanced' });
      const deleted = await env.configuration.deletePersonality('ada', { cascade: true });
      expect(deleted.id).to.equal('ada');
      expect((await env.configuration.getAllAgents()).map((a) => a.id)).to.deep.equal(['other']);
      const [run] = await env.configuration.listWorkflows();
      expect(run?.name).to.equal('delete-personality-cascade');
      expect(intentOrder(await journalOf(env, run?.id as string))).to.deep.equal(['agent-ada-reviewer', 'agent-second', 'personality']);
    });

    it('puts the agents back exactly when the personality cannot be deleted (a template)', async function () {
      await seedValidRecords(env.configuration);
      await env.configuration.createAgent({ ...valid.agent, id: 'balanced-agent', personalityId: 'balanced' });
      const before = await snapshotRecords(env.configuration);
      const error = (await expect(env.configuration.deletePersonality('balanced', { cascade: true })).to.be.rejected) as AgentcfgError;
      expect(error.code).to.equal('FORBIDDEN');
      expect(await snapshotRecords(env.configuration)).to.deep.equal(before);
    });

    it('without cascade still refuses while agents use it', async function () {
      await seedValidRecords(env.configuration);
      expect(((await expect(env.configuration.deletePersonality('ada')).to.be.rejected) as AgentcfgError).code).to.equal('REFERENCE_ERROR');
    });
  });

  describe('Scenario: bulk import and export', function () {
    it('exports what a user made and imports it into an empty folder as one workflow', async function () {
      await seedValidRecords(env.configuration);
      await env.configuration.createAgent({ ...valid.agent, id: 'on-template', personalityId: 'creative', roleId: 'coach' });
      const bundle = await env.configuration.exportBundle();
      expect(bundle.personalities.map((p) => p.id)).to.deep.equal(['ada']);
      expect(bundle.roles.map((r) => r.id)).to.deep.equal(['reviewer']);

      const target = await createTestContainer();
      const { result, workflow } = await target.configuration.importBundle(JSON.parse(JSON.stringify(bundle)));
      expect(result).to.deep.equal({ personalities: 1, roles: 1, connections: 0, agents: 2, conflicts: [] });
      expect(workflow?.status).to.equal('COMPLETED');
      const mine = await snapshotRecords(env.configuration);
      const theirs = await snapshotRecords(target.configuration);
      for (const kind of ['personalities', 'roles', 'agents'] as const) {
        expect(bodies(theirs[kind] as Record<string, unknown>[])).to.deep.equal(bodies(mine[kind] as Record<string, unknown>[]));
      }
    });

    it('imports all or nothing: an agent with a dangling role undoes the whole import', async function () {
      const before = await snapshotRecords(env.configuration);
      const bundle = { personalities: [valid.personality], roles: [valid.role], agents: [valid.agent, { ...valid.agent, id: 'dangling', roleId: 'missing' }] };
      const error = (await expect(env.configuration.importBundle(bundle)).to.be.rejected) as AgentcfgError;
      expect(error.code).to.equal('REFERENCE_ERROR');
      expect(await snapshotRecords(env.configuration)).to.deep.equal(before);
    });

    it('refuses an invalid bundle before anything runs, naming the bad field', async function () {
      const hashes = await storedRecords(env);
      const error = (await expect(env.configuration.importBundle({ agents: [{ ...valid.agent, color: 'blue' }] })).to.be.rejected) as AgentcfgError;
      expect(error.code).to.equal('VALIDATION_ERROR');
      expect(error.details.map((d) => d.path)).to.include('steps.0.input.color');
      expect(((await expect(env.configuration.importBundle({})).to.be.rejected) as AgentcfgError).code).to.equal('VALIDATION_ERROR');
      expect(((await expect(env.configuration.importBundle({ teams: [] })).to.be.rejected) as AgentcfgError).details[0]?.path).to.equal('teams');
      expect(await storedRecords(env)).to.deep.equal(hashes);
    });
  });

  describe('Scenario: steps run in dependency order', function () {
    it('runs a step after the steps it refers to, even when listed first', async function () {
      const run = await env.configuration.runWorkflow({
        name: 'listed-out-of-order',
        steps: [
          { id: 'agent', service: 'agent', action: 'create', input: { ...valid.agent, personalityId: { $ref: 'steps.p.output.id' }, roleId: { $ref: 'steps.r.output.id' } } },
          { id: 'r', service: 'role', action: 'create', input: valid.role },
          { id: 'p', service: 'personality', action: 'create', input: valid.personality, dependsOn: ['r'] },
        ],
      });
      expect(run.status, JSON.stringify(run.error)).to.equal('COMPLETED');
      expect(intentOrder(await journalOf(env, run.id))).to.deep.equal(['r', 'p', 'agent']);
      expect(run.steps.map((s) => s.id)).to.deep.equal(['r', 'p', 'agent']);
    });
  });

  describe('Scenario: the workflow commands of the CLI', function () {
    const transports = [
      { name: 'binary', run: runCli },
      { name: 'in-process', run: runCliInProcess },
    ];
    for (const { name, run } of transports) {
      it(`runs, lists and shows workflows, exiting 0 when completed and 9 when compensated (${name})`, async function () {
        await seedValidRecords(env.configuration);
        const definition = multiServiceWorkflows().workflows.find((w) => w.definition.name === 'new-team-member')?.definition;
        const file = join(env.dataDir, 'team.json');
        await writeFile(file, JSON.stringify(definition));
        const ok = await run([...env.cliStore, 'workflow', 'run', file]);
        expect(ok.code, ok.stderr).to.equal(0);
        expect(ok.stdout).to.match(/COMPLETED/).and.to.match(/newPersonality\s+personality\s+create\s+bea\s+COMPLETED\s+1\s+\d+ ms/);

        const again = await run([...env.cliStore, 'workflow', 'run', '-', '--json'], { stdin: JSON.stringify(definition) });
        expect(again.code).to.equal(9);
        const doc = again.json<{ ok: boolean; error: { code: string; workflow: { status: string; id: string } } }>();
        expect(doc.ok).to.equal(false);
        expect(doc.error.code).to.equal('CONFLICT');
        expect(doc.error.workflow.status).to.equal('COMPENSATED');
        const text = await run([...env.cliStore, 'workflow', 'run', file]);
        expect(text.code).to.equal(9);
        expect(text.stdout).to.include('COMPENSATED').and.to.include('Cause: CONFLICT');

        const list = await run([...env.cliStore, 'workflow', 'list']);
        expect(list.stdout.split('\n').filter((l) => l.includes('new-team-member'))).to.have.length(3);
        const show = await run([...env.cliStore, 'workflow', 'show', doc.error.workflow.id]);
        expect(show.stdout).to.include('COMPENSATED');
        expect((await run([...env.cliStore, 'workflow', 'show', '00000000-0000-0000-0000-000000000000'])).code).to.equal(4);
        expect((await run([...env.cliStore, 'workflow', 'run', '-'], { stdin: '{"name":"x","steps":[]}' })).code).to.equal(3);
        const recover = await run([...env.cliStore, 'workflow', 'recover']);
        expect(recover.code).to.equal(0);
        expect(recover.stdout).to.include('No unfinished workflows');
      });

      it(`creates with dependencies, cascades, exports and imports from the command line (${name})`, async function () {
        const request = join(env.dataDir, 'request.json');
        await writeFile(request, JSON.stringify({ personality: valid.personality, role: 'analyst', agent: valid.agent }));
        const made = await run([...env.cliStore, 'agent', 'create-with', '--file', request, '--json']);
        expect(made.code, made.stdout).to.equal(0);
        expect(made.json<{ data: { agent: { roleId: string } } }>().data.agent.roleId).to.equal('analyst');

        const exported = join(env.dataDir, 'bundle.json');
        const exportRun = await run([...env.cliStore, 'export', '--file', exported]);
        expect(exportRun.stdout).to.include('Exported 1 personalities, 0 roles, 0 connections, 1 agents as bundle to');
        const toStdout = await run([...env.cliStore, 'export']);
        expect(JSON.parse(toStdout.stdout)).to.deep.include({ schemaVersion: 1 });

        const cascade = await run([...env.cliStore, 'personality', 'delete', 'ada', '--cascade']);
        expect(cascade.code, cascade.stderr).to.equal(0);
        expect(cascade.stdout).to.include('and the agents that used it');
        expect(await env.configuration.getAllAgents()).to.deep.equal([]);

        const imported = await run([...env.cliStore, 'import', exported]);
        expect(imported.code, imported.stderr).to.equal(0);
        expect(imported.stdout).to.include('Imported 1 personalities, 0 roles, 0 connections, 1 agents from bundle');
        const twice = await run([...env.cliStore, 'import', '-', '--json'], { stdin: await readFile(exported, 'utf8') });
        expect(twice.code).to.equal(5);
        expect((await env.configuration.getAllAgents()).map((a) => a.id)).to.deep.equal(['ada-reviewer']);
      });
    }
  });
});
