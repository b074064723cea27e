import { expect } from 'chai';
import sinon from 'sinon';
import { cp } from 'node:fs/promises';
import type { AgentcfgError } from '../../../src/domain/errors/agentcfg-error';
import type { Right } from '../../../src/security/rights';
import type { SecurityContext, SecurityRole } from '../../../src/security/security-context';
import { IAgentService } from '../../../src/services/agent/agent-service';
import { IConfigurationService } from '../../../src/services/configuration/configuration-service';
import { IConsistencyService } from '../../../src/services/consistency/consistency-service';
import { IFileService } from '../../../src/storage/file/file-service';
import { IRecordStore } from '../../../src/storage/record-store';
import { IPersonalityService } from '../../../src/services/personality/personality-service';
import { IRoleService } from '../../../src/services/role/role-service';
import { IWorkflowService } from '../../../src/workflow/workflow-service';
import type { WorkflowRun } from '../../../src/workflow/workflow-run';
import { FAST_RESILIENCE, SERVICE_TOKENS, multiServiceWorkflows, seedValidRecords } from '../../support/coordination';
import { loadFixture } from '../../support/fixtures';
import { validRecords } from '../../support/records';
import { runCli } from '../../support/run-cli';
import { misbehave } from '../../support/service-fakes';
import { auditEntriesOf, journalsOf, storedRecords } from '../../support/store-state';
import { createTestContainer, makeTempDir, testStore, type TestContainer } from '../../support/test-container';

interface Who {
  actor: string;
  role: SecurityRole;
}

/** test/fixtures/security/attacks.json, the sections this spec drives. */
interface UnauthorizedCase extends Who {
  name: string;
  action: keyof typeof ACTIONS;
  target?: { kind: 'personality' | 'role'; id: string };
  expectedMissingRight: Right | null;
  /** The least role that may make this request (null: nobody may). */
  allowedTo: SecurityRole | null;
  auditAction: string;
  cli?: { via: 'flags' | 'env' | 'flags-over-env'; json?: boolean; args: string[] };
}
interface ForgedContextCase {
  name: string;
  service: keyof typeof SERVICES;
  method: string;
  forge: 'none' | 'plain' | 'copy' | 'json' | 'proxy' | 'prototype' | 'assign' | 'issued';
  claim?: Record<string, unknown>;
  issuedTo?: Who;
  tamper?: Record<string, unknown>;
  expectedMissingRight: Right;
  auditActor: string;
  auditRole?: SecurityRole;
}
interface WorkflowRef {
  owner: string;
  status: 'COMPLETED' | 'FAILED';
}
interface OwnershipCase {
  name: string;
  via?: 'cli';
  caller: Who;
  operation: 'show' | 'list' | 'recover';
  workflow?: WorkflowRef;
  expected: 'allowed' | 'forbidden' | 'sees' | 'recovered' | 'untouched';
  expectedMissingRight?: Right;
  sees?: WorkflowRef[];
}
interface Attacks {
  unauthorized: { cases: UnauthorizedCase[] };
  forgedContexts: { cases: ForgedContextCase[] };
  workflowOwnership: { cases: OwnershipCase[] };
}

const attacks = loadFixture<Attacks>('security/attacks.json');
const valid = validRecords();

/** What each catalogue action asks for, as a library call on the world below, and the JSON body the CLI sends for it. */
type Target = UnauthorizedCase['target'];
const INTRUDER = { ...valid.personality, id: 'intruder', name: 'Intruder' };
const ROLE_RENAME = { name: 'Taken over' };
const WORKFLOW = { name: 'intrusion', steps: [{ id: 'r', service: 'role', action: 'create', input: { id: 'wf-role', name: 'Workflow Role', systemPrompt: 'You were made by a workflow.' } }] };
const BUNDLE = { personalities: [{ ...valid.personality, id: 'imported', name: 'Imported' }] };
const TEMPLATE_PATCH = { personality: { humor: 1 }, role: { name: 'Mine now' } } as const;

async function runToCompletion(c: IConfigurationService, definition: unknown): Promise<WorkflowRun> {
  const run = await c.runWorkflow(definition);
  if (run.status !== 'COMPLETED') throw new Error(`workflow ${run.name} ended ${run.status}: ${run.error?.message ?? ''}`);
  return run;
}

const ACTIONS = {
  createPersonality: { body: () => INTRUDER, call: (c: IConfigurationService) => c.createPersonality(INTRUDER) },
  updatePersonality: { call: (c: IConfigurationService) => c.updatePersonality('ada', { humor: 99 }) },
  deletePersonality: { call: (c: IConfigurationService) => c.deletePersonality('spare') },
  deletePersonalityCascade: { call: (c: IConfigurationService) => c.deletePersonality('ada', { cascade: true }) },
  createRole: { call: (c: IConfigurationService) => c.createRole({ ...valid.role, id: 'intruder-role', name: 'Intruder Role' }) },
  updateRole: { body: () => ROLE_RENAME, call: (c: IConfigurationService) => c.updateRole('spare-role', ROLE_RENAME) },
  deleteRole: { call: (c: IConfigurationService) => c.deleteRole('spare-role') },
  createAgent: { call: (c: IConfigurationService) => c.createAgent({ ...valid.agent, id: 'intruder-agent', name: 'Intruder Agent' }) },
  updateAgent: { call: (c: IConfigurationService) => c.updateAgent('ada-reviewer', { color: '#000000' }) },
  deleteAgent: { call: (c: IConfigurationService) => c.deleteAgent('ada-reviewer') },
  restoreRecord: { call: (c: IConfigurationService) => c.restoreRecord('personality', 'spare', 1) },
  runWorkflow: { body: () => WORKFLOW, call: (c: IConfigurationService) => runToCompletion(c, WORKFLOW) },
  createAgentWithDependencies: {
    call: (c: IConfigurationService) =>
      c.createAgentWithDependencies({ personality: { ...valid.personality, id: 'cawd', name: 'Cawd' }, role: 'reviewer', agent: { id: 'cawd-agent', name: 'Cawd Agent', color: '#112233', modelConfig: valid.agent.modelConfig } }),
  },
  importBundle: { body: () => BUNDLE, call: (c: IConfigurationService) => c.importBundle(BUNDLE) },
  updateTemplate: {
    body: (t: Target) => TEMPLATE_PATCH[t?.kind ?? 'personality'],
    call: (c: IConfigurationService, t: Target) => (t?.kind === 'role' ? c.updateRole(t.id, TEMPLATE_PATCH.role) : c.updatePersonality(t?.id ?? '', TEMPLATE_PATCH.personality)),
  },
  restoreTemplate: { call: (c: IConfigurationService, t: Target) => c.restoreRecord(t?.kind ?? 'personality', t?.id ?? '', 1) },
  deleteTemplate: { call: (c: IConfigurationService, t: Target) => (t?.kind === 'role' ? c.deleteRole(t.id) : c.deletePersonality(t?.id ?? '')) },
  repair: { call: (c: IConfigurationService) => c.repair({ pruneDangling: true }) },
  recoverWorkflows: { call: (c: IConfigurationService) => c.recoverWorkflows({ includeFailed: true }) },
  auditList: { call: (c: IConfigurationService) => c.auditEntries() },
} satisfies Record<string, { body?: (t: Target) => unknown; call: (c: IConfigurationService, t: Target) => Promise<unknown> }>;

const SERVICES = {
  IPersonalityService,
  IRoleService,
  IAgentService,
  IFileService,
  IWorkflowService,
  IConsistencyService,
} as const;

/**
 * The storage call a catalogue entry names. The file store's IFileService.transaction is, on PostgreSQL (which has
 * no file service), the storage port's transact: the write every record change goes through, guarded the same way.
 */
function storageCall(attack: ForgedContextCase): string {
  const call = `${attack.service}.${attack.method}`;
  return call === 'IFileService.transaction' && testStore() === 'postgres' ? 'IRecordStore.transact' : call;
}

/** The world every case starts from (see the fixture's "about"), made by the default principal: an admin. */
async function seedWorld(configuration: IConfigurationService): Promise<void> {
  await seedValidRecords(configuration);
  await configuration.createPersonality({ ...valid.personality, id: 'spare', name: 'Spare' });
  await configuration.updatePersonality('spare', { humor: 31 });
  await configuration.createRole({ ...valid.role, id: 'spare-role', name: 'Spare Role' });
  await configuration.updatePersonality('balanced', { humor: 42 });
}

async function rejection(promise: Promise<unknown>): Promise<AgentcfgError> {
  return (await expect(promise).to.be.rejected) as AgentcfgError;
}

/**
 * What "nothing changed" is checked against: every byte under config/ and the workflow journals present (on
 * PostgreSQL: every stored record and its history, and the workflows with a journal).
 */
async function storeState(env: TestContainer): Promise<{ config: Record<string, unknown>; workflows: string[] }> {
  return { config: await storedRecords(env), workflows: (await journalsOf(env)).sort() };
}

/** The audit entries appended after the first `before` ones. */
async function appendedSince(env: TestContainer, before: number) {
  return (await auditEntriesOf(env)).slice(before);
}

function principalArgs(who: Who): string[] {
  return ['--actor', who.actor, '--as', who.role];
}

describe('Feature: security — each role may do only what it holds the right for, and services trust only issued contexts', function () {
  let env: TestContainer;
  let world: string;
  const ran = { unauthorized: 0, cli: 0, forged: 0, ownership: 0 };

  before(async function () {
    if (testStore() !== 'file') return;
    // Copied below while its process still runs: nothing may fold in the background meanwhile, so it is compacted
    // once, as a clean exit leaves it.
    const made = await createTestContainer({ compactAfterIdleMs: Infinity });
    await seedWorld(made.configuration);
    await made.configuration.compact();
    world = made.dataDir;
  });

  beforeEach(async function () {
    if (testStore() === 'file') {
      // Each test gets its own copy of the world (its own temp folder) rather than re-seeding it: same bytes, less fsync.
      const dataDir = await makeTempDir();
      await cp(world, dataDir, { recursive: true });
      env = await createTestContainer({ dataDir });
    } else {
      // A database is not copied as a folder is: each test seeds the same world in a fresh one.
      env = await createTestContainer();
      await seedWorld(env.configuration);
    }
  });

  afterEach(async function () {
    sinon.restore();
    await env.dispose();
  });

  after(function () {
    const total = ran.unauthorized + ran.cli + ran.forged + ran.ownership;
    console.log(`security: ${total} authorization cases (${ran.unauthorized} unauthorized, ${ran.cli} of them again through the CLI, ${ran.forged} forged contexts, ${ran.ownership} workflow ownership)`);
  });

  describe('Scenario: a request without the right is FORBIDDEN, names the right, is audited as denied and changes nothing', function () {
    for (const attack of attacks.unauthorized.cases) {
      const right = attack.expectedMissingRight;
      it(`${attack.name} (${attack.role} '${attack.actor}', ${attack.action}${attack.target ? ` ${attack.target.kind}:${attack.target.id}` : ''}) → FORBIDDEN, ${right ? `missing '${right}'` : 'allowed to nobody'}`, async function () {
        const before = await storeState(env);
        const auditBefore = (await auditEntriesOf(env)).length;
        const as = env.configuration.as({ actor: attack.actor, role: attack.role });

        const error = await rejection(ACTIONS[attack.action].call(as, attack.target));
        expect(error.code, error.message).to.equal('FORBIDDEN');
        if (right) {
          expect(error.context).to.include({ missingRight: right, actor: attack.actor, role: attack.role });
          expect(error.message).to.include(`'${right}'`);
        } else {
          expect(error.message).to.include('is a template and cannot be deleted');
        }

        const added = await appendedSince(env, auditBefore);
        expect(added.map((e) => ({ actor: e.actor, role: e.role, action: e.action, outcome: e.outcome }))).to.deep.equal([
          { actor: attack.actor, role: attack.role, action: attack.auditAction, outcome: 'denied' },
        ]);
        expect(added[0]?.reason).to.match(/^FORBIDDEN: /).and.to.include(right ? `'${right}'` : 'cannot be deleted');
        if (attack.target) expect(added[0]?.target).to.deep.equal(attack.target);
        expect(await storeState(env), 'config/ and workflows/ as before').to.deep.equal(before);

        if (attack.allowedTo) {
          // The very same request by a role that may make it goes through: the refusal was about the role.
          await ACTIONS[attack.action].call(env.configuration.as({ actor: 'holder', role: attack.allowedTo }), attack.target);
        } else {
          const target = attack.target as NonNullable<Target>;
          expect((await rejection(ACTIONS[attack.action].call(env.configuration.as({ actor: 'holder', role: 'admin' }), target))).code, 'an admin is refused too').to.equal('FORBIDDEN');
          const template = target.kind === 'role' ? await env.configuration.getRole(target.id) : await env.configuration.getPersonality(target.id);
          expect(template, 'the template is still there').to.include({ isTemplate: true });
        }
        ran.unauthorized++;
      });
    }
  });

  describe('Scenario: the same refusals through the agentcfg binary: exit 6, the right named on stderr or in the --json error', function () {
    for (const attack of attacks.unauthorized.cases.filter((a) => a.cli)) {
      const cli = attack.cli as NonNullable<UnauthorizedCase['cli']>;
      const right = attack.expectedMissingRight as Right;
      it(`${attack.name}: \`${cli.args.join(' ')}\` with the principal from ${cli.via}${cli.json ? ', --json' : ''} → exit 6 naming '${right}'`, async function () {
        const before = await storeState(env);
        const auditBefore = (await auditEntriesOf(env)).length;
        const who = { actor: attack.actor, role: attack.role };
        const principalEnv = { AGENTCFG_ACTOR: who.actor, AGENTCFG_ROLE: who.role };
        const adminEnv = { AGENTCFG_ACTOR: 'env-admin', AGENTCFG_ROLE: 'admin' };
        const flags = cli.via === 'env' ? [] : principalArgs(who);
        const body = (ACTIONS[attack.action] as { body?: (t: Target) => unknown }).body?.(attack.target);
        const run = await runCli([...env.cliStore, ...(cli.json ? ['--json'] : []), ...flags, ...cli.args], {
          env: cli.via === 'env' ? principalEnv : cli.via === 'flags-over-env' ? adminEnv : {},
          ...(cli.args.includes('-') ? { stdin: JSON.stringify(body) } : {}),
        });

        expect(run.code, run.stdout + run.stderr).to.equal(6);
        if (cli.json) {
          const error = run.json().error;
          expect(error?.code).to.equal('FORBIDDEN');
          expect(error?.message).to.include(`'${right}'`);
          expect(run.stderr).to.equal('');
        } else {
          expect(run.stderr).to.match(/^agentcfg: FORBIDDEN: /).and.to.include(`the right '${right}'`);
          expect(run.stdout).to.equal('');
        }
        const added = await appendedSince(env, auditBefore);
        expect(added.map((e) => ({ actor: e.actor, role: e.role, action: e.action, outcome: e.outcome }))).to.deep.equal([
          { actor: who.actor, role: who.role, action: attack.auditAction, outcome: 'denied' },
        ]);
        expect(await storeState(env)).to.deep.equal(before);
        ran.cli++;
      });
    }
  });

  describe('Scenario: positive controls — the rights each role does hold', function () {
    it('an editor creates, updates and deletes its own role, each change audited as ok with its actor and role', async function () {
      const eddie = env.configuration.as({ actor: 'eddie', role: 'editor' });
      const auditBefore = (await auditEntriesOf(env)).length;
      const created = await eddie.createRole({ ...valid.role, id: 'eddies-role', name: "Eddie's Role" });
      const updated = await eddie.updateRole('eddies-role', { focusAreas: ['speed'] });
      const deleted = await eddie.deleteRole('eddies-role', { expectedVersion: 2 });
      expect([created.version, updated.version, deleted.version]).to.deep.equal([1, 2, 2]);
      expect(await env.configuration.getRole('eddies-role')).to.equal(null);
      const added = await appendedSince(env, auditBefore);
      expect(added.map((e) => [e.actor, e.role, e.action, e.outcome, e.versionBefore, e.versionAfter])).to.deep.equal([
        ['eddie', 'editor', 'role.create', 'ok', null, 1],
        ['eddie', 'editor', 'role.update', 'ok', 1, 2],
        ['eddie', 'editor', 'role.delete', 'ok', 2, null],
      ]);
    });

    it('an editor runs a workflow, which records the editor as its owner', async function () {
      const run = (await ACTIONS.runWorkflow.call(env.configuration.as({ actor: 'eddie', role: 'editor' })));
      expect(run.owner).to.include({ actor: 'eddie', role: 'editor' });
      expect(await env.configuration.getRole('wf-role')).to.include({ name: 'Workflow Role', version: 1 });
    });

    it('an admin updates a template, which stays a template', async function () {
      const changed = await env.configuration.as({ actor: 'ada-admin', role: 'admin' }).updateRole('technical-advisor', { focusAreas: ['architecture'] });
      expect(changed).to.include({ version: 2, isTemplate: true });
      const last = (await auditEntriesOf(env)).at(-1);
      expect(last).to.deep.include({ actor: 'ada-admin', role: 'admin', action: 'role.update', outcome: 'ok', versionBefore: 1, versionAfter: 2 });
    });

    it('an editor named by AGENTCFG_ACTOR/AGENTCFG_ROLE creates a role through the binary (exit 0)', async function () {
      const run = await runCli([...env.cliStore, '--json', 'role', 'create', '--file', '-'], {
        env: { AGENTCFG_ACTOR: 'eddie', AGENTCFG_ROLE: 'editor' },
        stdin: JSON.stringify({ ...valid.role, id: 'cli-role', name: 'CLI Role' }),
      });
      expect(run.code, run.stdout + run.stderr).to.equal(0);
      expect((await auditEntriesOf(env)).at(-1)).to.deep.include({ actor: 'eddie', role: 'editor', action: 'role.create', outcome: 'ok' });
    });
  });

  describe('Scenario: a service resolved from the container refuses any context ConfigurationService did not issue', function () {
    /** The mutating call each catalogue entry makes, with `context` as the caller's security context. */
    async function callService(attack: ForgedContextCase, context: unknown): Promise<unknown> {
      const ctx = context as SecurityContext;
      const get = <T>(name: keyof typeof SERVICES) => env.container.get<T>(SERVICES[name]);
      const records = { personality: get<IPersonalityService>('IPersonalityService'), role: get<IRoleService>('IRoleService'), agent: get<IAgentService>('IAgentService') };
      switch (storageCall(attack)) {
        case 'IPersonalityService.create':
          return records.personality.create({ ...valid.personality, id: 'forged', name: 'Forged' }, { context: ctx });
        case 'IPersonalityService.update':
          return records.personality.update('spare', { humor: 1 }, { context: ctx });
        case 'IPersonalityService.delete':
          return records.personality.delete('spare', { context: ctx });
        case 'IPersonalityService.restore':
          return records.personality.restore('spare', 1, { context: ctx });
        case 'IRoleService.create':
          return records.role.create({ ...valid.role, id: 'forged-role', name: 'Forged Role' }, { context: ctx });
        case 'IRoleService.update':
          return records.role.update('spare-role', { name: 'Forged' }, { context: ctx });
        case 'IRoleService.delete':
          return records.role.delete('spare-role', { context: ctx });
        case 'IRoleService.revert': {
          // "Undo" the creation of spare-role: allowed, this would delete it.
          const current = await records.role.get('spare-role');
          if (!current) throw new Error('spare-role is missing from the world');
          return records.role.revert({ id: 'spare-role', before: null, after: { version: current.version, updatedAt: current.updatedAt } }, { context: ctx });
        }
        case 'IAgentService.create':
          return records.agent.create({ ...valid.agent, id: 'forged-agent', name: 'Forged Agent' }, { context: ctx });
        case 'IAgentService.update':
          return records.agent.update('ada-reviewer', { color: '#000000' }, { context: ctx });
        case 'IAgentService.delete':
          return records.agent.delete('ada-reviewer', { context: ctx });
        case 'IFileService.transaction':
          return get<IFileService>('IFileService').transaction((tx) => tx.write('personality', []), { context: ctx });
        case 'IRecordStore.transact':
          return env.container.get<IRecordStore>(IRecordStore).transact(async () => ({ commit: {}, result: undefined }), { context: ctx });
        case 'IWorkflowService.run':
          return get<IWorkflowService>('IWorkflowService').run(WORKFLOW as never, ctx);
        case 'IWorkflowService.recover':
          return get<IWorkflowService>('IWorkflowService').recover({ includeFailed: true }, ctx);
        case 'IConsistencyService.repair':
          return get<IConsistencyService>('IConsistencyService').repair({ pruneDangling: true }, ctx);
        default:
          throw new Error(`no call for ${attack.service}.${attack.method}`);
      }
    }

    /** The context the attack forges, built as the catalogue says. */
    function forge(attack: ForgedContextCase): unknown {
      const issue = () => env.configuration.as(attack.issuedTo as Who).issueContext();
      const tamper = attack.tamper ?? {};
      switch (attack.forge) {
        case 'none':
          return undefined;
        case 'plain':
          return { ...attack.claim };
        case 'copy':
          return { ...issue(), ...tamper };
        case 'json':
          return JSON.parse(JSON.stringify(issue()));
        case 'proxy':
          return new Proxy(issue(), { get: (target, key) => (typeof key === 'string' && key in tamper ? tamper[key] : Reflect.get(target, key)) });
        case 'prototype':
          return Object.create(issue(), Object.fromEntries(Object.entries(tamper).map(([key, value]) => [key, { value, enumerable: true }])));
        case 'assign': {
          const real = issue();
          expect(() => Object.assign(real, tamper), 'an issued context is frozen').to.throw(TypeError);
          const { actor, role } = attack.issuedTo as Who;
          expect(real).to.include({ actor, access: role });
          return real;
        }
        case 'issued':
          return issue();
      }
    }

    for (const attack of attacks.forgedContexts.cases) {
      it(`${storageCall(attack)} with ${attack.name} → FORBIDDEN, missing '${attack.expectedMissingRight}', nothing changed`, async function () {
        const context = forge(attack);
        if (attack.forge !== 'none') expect(context, 'the forged context looks like a real one').to.have.property('actor');
        const before = await storeState(env);
        const auditBefore = (await auditEntriesOf(env)).length;

        const error = await rejection(callService(attack, context));
        expect(error.code, error.message).to.equal('FORBIDDEN');
        expect(error.context.missingRight).to.equal(attack.expectedMissingRight);
        expect(error.message).to.include(`'${attack.expectedMissingRight}'`);
        if (attack.auditRole === undefined) expect(error.message).to.include('no security context issued by ConfigurationService');

        const added = await appendedSince(env, auditBefore);
        expect(added.map((e) => ({ actor: e.actor, role: e.role, outcome: e.outcome }))).to.deep.equal([{ actor: attack.auditActor, role: attack.auditRole ?? null, outcome: 'denied' }]);
        expect(await storeState(env), 'config/ and workflows/ as before').to.deep.equal(before);

        // The very same call with a genuine admin context goes through: the refusal was about the context.
        await callService(attack, env.configuration.as({ actor: 'carla', role: 'admin' }).issueContext());
        ran.forged++;
      });
    }
  });

  describe('Scenario: a workflow belongs to whoever ran it; only they or an admin may show or recover it', function () {
    let runs: Map<string, WorkflowRun>;
    const key = (ref: WorkflowRef) => `${ref.owner}/${ref.status}`;

    /** The world of the ownership cases (see the fixture): eddie's COMPLETED and FAILED workflows, erin's COMPLETED one. */
    beforeEach(async function () {
      const eddie = { actor: 'eddie', role: 'editor' } as const;
      const makeRole = (id: string) => ({ name: `make-${id}`, steps: [{ id: 'role', service: 'role', action: 'create', input: { ...valid.role, id, name: id } }] });
      const retune = multiServiceWorkflows().workflows.find((w) => w.definition.name === 'retune-agent');
      if (!retune) throw new Error('fixture workflow retune-agent is missing');
      const agentFake = misbehave(env.container.get(SERVICE_TOKENS.agent) as never, 'update', { kind: 'permanent', code: 'CONFLICT' });
      const roleFake = misbehave(env.container.get(SERVICE_TOKENS.role) as never, 'revert', { kind: 'permanent', code: 'INTERNAL_ERROR', message: 'the role store is read-only' });
      const faked = await createTestContainer({ dataDir: env.dataDir, overrides: [[SERVICE_TOKENS.agent, agentFake.service], [SERVICE_TOKENS.role, roleFake.service]], resilience: FAST_RESILIENCE });

      const made = [
        await env.configuration.as(eddie).runWorkflow(makeRole('eddie-role')),
        await faked.configuration.as(eddie).runWorkflow(retune.definition),
        await env.configuration.as({ actor: 'erin', role: 'editor' }).runWorkflow(makeRole('erin-role')),
      ];
      expect(made.map((r) => `${r.owner.actor}/${r.status}`)).to.deep.equal(['eddie/COMPLETED', 'eddie/FAILED', 'erin/COMPLETED']);
      runs = new Map(made.map((r) => [`${r.owner.actor}/${r.status}`, r]));
      // As a clean exit leaves the folder, so a command's end has nothing to fold into the files.
      await env.configuration.compact();
    });

    const idOf = (ref: WorkflowRef) => (runs.get(key(ref)) as WorkflowRun).id;
    const statusNow = async (ref: WorkflowRef) => (await env.configuration.getWorkflow(idOf(ref)))?.status;

    for (const attempt of attacks.workflowOwnership.cases) {
      const whose = attempt.workflow ? ` ${attempt.workflow.owner}'s ${attempt.workflow.status} workflow` : '';
      it(`${attempt.name}: ${attempt.caller.role} '${attempt.caller.actor}' ${attempt.via === 'cli' ? `\`workflow ${attempt.operation}\`` : attempt.operation}${whose} → ${attempt.expected}`, async function () {
        const caller = env.configuration.as(attempt.caller);
        const target = attempt.workflow ? idOf(attempt.workflow) : '';
        const before = await storeState(env);
        const auditBefore = (await auditEntriesOf(env)).length;
        const cli = (args: string[]) => runCli([...env.cliStore, '--json', ...principalArgs(attempt.caller), 'workflow', ...args]);

        switch (attempt.expected) {
          case 'allowed': {
            const shown = attempt.via === 'cli' ? await cli(['show', target]).then((r) => (expect(r.code, r.stdout + r.stderr).to.equal(0), r.json<{ data: WorkflowRun }>().data)) : await caller.getWorkflow(target);
            expect(shown?.id).to.equal(target);
            expect(shown?.owner.actor).to.equal(attempt.workflow?.owner);
            break;
          }
          case 'forbidden': {
            const right = attempt.expectedMissingRight as Right;
            if (attempt.via === 'cli') {
              const run = await cli(['show', target]);
              expect(run.code, run.stdout + run.stderr).to.equal(6);
              expect(run.json().error).to.deep.include({ code: 'FORBIDDEN' });
              expect(run.json().error?.message).to.include(`'${right}'`);
            } else {
              const error = await rejection(caller.getWorkflow(target));
              expect(error.code).to.equal('FORBIDDEN');
              expect(error.context.missingRight).to.equal(right);
              expect(error.message).to.include(`'${right}'`).and.to.include(attempt.workflow?.owner as string);
            }
            const added = await appendedSince(env, auditBefore);
            expect(added.map((e) => ({ actor: e.actor, role: e.role, action: e.action, workflowId: e.workflowId, outcome: e.outcome }))).to.deep.equal([
              { ...attempt.caller, action: 'workflow.show', workflowId: target, outcome: 'denied' },
            ]);
            break;
          }
          case 'sees': {
            const listed = attempt.via === 'cli' ? await cli(['list']).then((r) => (expect(r.code, r.stdout + r.stderr).to.equal(0), r.json<{ data: WorkflowRun[] }>().data)) : await caller.listWorkflows();
            expect(listed.map((r) => r.id).sort()).to.deep.equal((attempt.sees ?? []).map(idOf).sort());
            expect(listed.every((r) => r.owner.actor === attempt.caller.actor || attempt.caller.role === 'admin')).to.equal(true);
            break;
          }
          case 'recovered': {
            const reports = await caller.recoverWorkflows({ includeFailed: true });
            expect(reports.find((r) => r.workflowId === target)).to.deep.include({ from: 'FAILED', to: 'COMPENSATED', owner: attempt.workflow?.owner });
            expect(await statusNow(attempt.workflow as WorkflowRef)).to.equal('COMPENSATED');
            break;
          }
          case 'untouched': {
            const reports = attempt.via === 'cli' ? await cli(['recover']).then((r) => (expect(r.code, r.stdout + r.stderr).to.equal(0), r.json<{ data: { workflowId: string }[] }>().data)) : await caller.recoverWorkflows({ includeFailed: true });
            expect(reports.map((r) => r.workflowId)).to.not.include(target);
            expect(await statusNow(attempt.workflow as WorkflowRef)).to.equal('FAILED');
            expect(await storeState(env)).to.deep.equal(before);
            break;
          }
        }
        ran.ownership++;
      });
    }
  });
});
