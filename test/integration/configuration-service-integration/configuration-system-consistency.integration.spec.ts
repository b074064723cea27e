import { expect } from 'chai';
import addContext from 'mochawesome/addContext';
import type { AgentcfgError } from '../../../src/domain/errors/agentcfg-error';
import type { ConflictError } from '../../../src/domain/errors/errors';
import type { ConflictStrategy, FieldRule } from '../../../src/domain/conflict/resolve-update';
import { cp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SERVICE_TOKENS, multiServiceWorkflows, seedValidRecords } from '../../support/coordination';
import { IRoleService } from '../../../src/services/role/role-service';
import { loadFixture } from '../../support/fixtures';
import { statusTrail } from '../../support/journals';
import { snapshotRecords } from '../../support/records-snapshot';
import { validRecords } from '../../support/records';
import { CLI_BIN, runCli } from '../../support/run-cli';
import { spawn } from 'node:child_process';
import type { ChangeEvent } from '../../../src/storage/change-feed';
import { startWorker, waitForExit, waitForLine } from '../../support/run-worker';
import { journalOf, workflowIdsOf } from '../../support/store-state';
import { createTestContainer, describeFileStoreOnly, type TestContainer } from '../../support/test-container';
import { attachRun, timedStep } from '../../support/timing';
import { misbehave } from '../../support/service-fakes';
import { resolutionOf } from '../../../src/domain/prompt/resolution';
import type { Personality } from '../../../src/domain/personality/personality';
import type { Role } from '../../../src/domain/role/role';

interface ConflictScenario {
  name: string;
  kind: 'personality' | 'agent';
  first: Record<string, unknown>;
  second: Record<string, unknown>;
  strategy: ConflictStrategy;
  rules?: Record<string, FieldRule>;
  conflicts?: string[];
  values?: Record<string, unknown>;
  sources?: Record<string, string>;
}

interface ConsistencyFixture {
  crashes: { workflow: string; points: string[] }[];
  recoveryBoundMs: number;
  conflicts: ConflictScenario[];
  concurrentMerge: { personalityId: string; processes: number; updatesEach: number; fields: string[]; expectedVersion: number };
  concurrentPropagation: { processes: number; updatesEach: number; fields: string[]; expectedVersion: number };
  propagation: { agents: number; patch: Record<string, unknown>; failAtAgent: number; rolePatch: Record<string, unknown> };
}

/** The value at a dotted path. */
function valueAt(record: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], record);
}

const fixture = loadFixture<ConsistencyFixture>('service-coordination/consistency-scenarios.json');
const workflows = multiServiceWorkflows().workflows;

describe('Feature: configuration system consistency — no half-made change survives a crash', function () {
  let base: TestContainer;

  beforeEach(async function () {
    base = await createTestContainer();
    await seedValidRecords(base.configuration);
  });

  afterEach(() => base.dispose());

  /** What a child process opens the store with: the data folder, or the database's URL. */
  const storeArg = (): string => base.url ?? base.dataDir;

  /*
   * A killed workflow of record steps leaves nothing to recover: on both stores it is one transaction, stored whole
   * when it ends. One with a custom step (`journaled`: the worker adds one after the others) is journaled step by
   * step, and a killed one leaves its journal for recovery.
   */

  function definitionOf(workflowName: string) {
    const definition = workflows.find((w) => w.definition.name === workflowName)?.definition;
    if (!definition) throw new Error(`fixture workflow ${workflowName} is missing`);
    return definition;
  }

  /** Runs the workflow in a child process and SIGKILLs it at `point`; returns the killed workflow's id, if it left a journal. */
  async function runAndKill(workflowName: string, point: string, { journaled = false } = {}): Promise<string | undefined> {
    const definition = definitionOf(workflowName);
    const file = join(base.dataDir, 'workflow.json');
    await writeFile(file, JSON.stringify(definition));
    const child = startWorker('workflow-crasher', [storeArg(), file, point, ...(journaled ? ['journaled'] : [])]);
    const exited = waitForExit(child);
    await waitForLine(child, 'PAUSED');
    child.kill('SIGKILL');
    expect((await exited).signal).to.equal('SIGKILL');
    const ids = await workflowIdsOf(base);
    expect(ids).to.have.length(journaled ? 1 : 0);
    return ids[0];
  }

  /** Kills `crash.workflow` at `point`, then checks `workflow recover` undoes it. */
  function crashAndRecover(crash: { workflow: string }, point: string): void {
    it(`${crash.workflow}: killed at ${point}, after \`workflow recover\` every record is as before and nothing is left RUNNING`, async function () {
      const before = await snapshotRecords(base.configuration);
      const id = await timedStep(this, 'run and SIGKILL the workflow', () => runAndKill(crash.workflow, point));
      if (id === undefined) expect(await snapshotRecords(base.configuration), 'nothing of the killed workflow is seen').to.deep.equal(before);
      else expect(statusTrail(await journalOf(base, id)).at(-1), 'killed while running').to.equal('RUNNING');

      const started = Date.now();
      const recover = await timedStep(this, 'agentcfg workflow recover', () => runCli([...base.cliStore, 'workflow', 'recover', '--json']));
      expect(recover.code, recover.stdout + recover.stderr).to.equal(0);
      expect(Date.now() - started, 'a lock left by the killed process does not hold recovery up').to.be.below(fixture.recoveryBoundMs);
      const reports = recover.json<{ data: { workflowId: string; from: string; to: string }[] }>().data;
      if (id === undefined) {
        expect(reports, 'nothing to recover').to.deep.equal([]);
      } else {
        expect(reports.find((r) => r.workflowId === id)).to.deep.include({ from: 'RUNNING', to: 'COMPENSATED' });
        const show = await runCli([...base.cliStore, 'workflow', 'show', id, '--json']);
        expect(show.json<{ data: { status: string } }>().data.status).to.equal('COMPENSATED');
      }
      const list = await runCli([...base.cliStore, 'workflow', 'list', '--json']);
      const statuses = list.json<{ data: { status: string }[] }>().data.map((r) => r.status);
      expect(statuses).to.not.include('RUNNING').and.to.not.include('COMPENSATING');

      const reopened = await createTestContainer({ dataDir: base.dataDir });
      expect(await snapshotRecords(reopened.configuration)).to.deep.equal(before);
      // Temp files are the file store's own (a collection file is written beside itself, then renamed over it).
      if (base.store === 'file') expect((await readdir(join(base.dataDir, 'config'))).filter((n) => n.includes('.tmp-')), 'no temp file left').to.deep.equal([]);
    });
  }

  // Killed at a step boundary: between a step's journal entry and its service call, or after the call.
  for (const crash of fixture.crashes) {
    for (const point of crash.points.filter((p) => !p.startsWith('mid-write:'))) crashAndRecover(crash, point);
  }

  /** A record without the times it was stamped with: two runs of one workflow differ only in those. */
  const timeless = (snapshot: Record<string, unknown[]>) =>
    Object.fromEntries(Object.entries(snapshot).map(([kind, records]) => [kind, records.map((r) => ({ ...(r as object), createdAt: undefined, updatedAt: undefined }))]));

  // Killed in the middle of writing a collection file (config/*.json), between its temp file and the rename: past
  // the folder log's fdatasync, the commit point, so the workflow is stored, and the folder opened again holds it whole.
  describeFileStoreOnly('Scenario: killed in the middle of a collection file write', function () {
    for (const crash of fixture.crashes) {
      for (const point of crash.points.filter((p) => p.startsWith('mid-write:'))) {
        it(`${crash.workflow}: killed at ${point}, the folder opened again holds the whole workflow, completed, and nothing half-written`, async function () {
          // The same workflow run to its end in a copy of the folder: what the whole workflow leaves.
          const twinDir = `${base.dataDir}-twin`;
          await cp(base.dataDir, twinDir, { recursive: true });
          const twin = await createTestContainer({ dataDir: twinDir });
          expect((await twin.configuration.runWorkflow(definitionOf(crash.workflow))).status).to.equal('COMPLETED');
          const whole = timeless(await snapshotRecords(twin.configuration));
          await twin.dispose();
          await rm(twinDir, { recursive: true, force: true });

          await timedStep(this, 'run and SIGKILL the workflow mid-write', () => runAndKill(crash.workflow, point));
          const recover = await runCli([...base.cliStore, 'workflow', 'recover', '--json']);
          expect(recover.code, recover.stdout + recover.stderr).to.equal(0);
          expect(recover.json<{ data: unknown[] }>().data, 'nothing to recover').to.deep.equal([]);
          const list = await runCli([...base.cliStore, 'workflow', 'list', '--json']);
          expect(list.json<{ data: { name: string; status: string }[] }>().data.map((r) => `${r.name}:${r.status}`)).to.deep.equal([`${crash.workflow}:COMPLETED`]);
          const reopened = await createTestContainer({ dataDir: base.dataDir });
          expect(timeless(await snapshotRecords(reopened.configuration))).to.deep.equal(whole);
          expect((await reopened.configuration.verify()).findings).to.deep.equal([]);
          expect((await readdir(join(base.dataDir, 'config'))).filter((n) => n.includes('.tmp-')), 'no temp file left').to.deep.equal([]);
        });
      }
    }
  });

  // About the folder's workflows/: the .active marker a journal keeps beside it, and the lock files a power cut loses.
  describeFileStoreOnly('Scenario: a journal\'s .active marker outlives its lock', function () {
    it('a killed workflow whose lock a power cut lost is still found by its .active marker and undone at start-up; ended ones leave no marker', async function () {
      const crash = fixture.crashes[0] as { workflow: string; points: string[] };
      const before = await snapshotRecords(base.configuration);
      const id = (await runAndKill(crash.workflow, crash.points.find((p) => p.startsWith('after:')) as string, { journaled: true })) as string;
      const workflowsDir = join(base.dataDir, 'workflows');
      expect(await readdir(workflowsDir)).to.include(`${id}.active`);
      // What a power cut can leave: the journal and its marker (their names were synced), no lock.
      for (const name of await readdir(workflowsDir)) if (name.includes('.lock')) await rm(join(workflowsDir, name), { recursive: true, force: true });

      const reopened = await createTestContainer({ dataDir: base.dataDir });
      expect(await snapshotRecords(reopened.configuration)).to.deep.equal(before);
      expect((await reopened.configuration.getWorkflow(id))?.status).to.equal('COMPENSATED');
      const ended = await reopened.configuration.runWorkflow(workflows[0]?.definition as never);
      expect(ended.status).to.equal('COMPLETED');
      expect((await readdir(workflowsDir)).filter((n) => n.endsWith('.active')), 'markers of ended workflows').to.deep.equal([]);
    });
  });

  describe('Scenario: concurrent updates from the same base, resolved by strategy', function () {
    const ids = { personality: 'ada', agent: 'ada-reviewer' } as const;
    for (const scenario of fixture.conflicts) {
      it(scenario.name, async function () {
        const { configuration } = base;
        const id = ids[scenario.kind];
        const read = await configuration.updateRecord(scenario.kind, id, {}, {});
        const baseVersion = read.record.version;
        await configuration.updateRecord(scenario.kind, id, scenario.first, { expectedVersion: baseVersion });
        const attempt = configuration.updateRecord(scenario.kind, id, scenario.second, {
          expectedVersion: baseVersion,
          strategy: scenario.strategy,
          ...(scenario.rules ? { rules: scenario.rules } : {}),
        });
        if (scenario.conflicts) {
          const error = (await expect(attempt).to.be.rejected) as AgentcfgError;
          expect(error.code).to.equal('CONFLICT');
          expect(error.details.map((d) => d.path)).to.deep.equal(scenario.conflicts);
          expect((error as ConflictError).current).to.deep.include({ version: baseVersion + 1 });
          return;
        }
        const { record, fields } = await attempt;
        expect(record.version).to.equal(baseVersion + 2);
        for (const [path, value] of Object.entries(scenario.values ?? {})) expect(valueAt(record, path), path).to.deep.equal(value ?? undefined);
        const sources = Object.fromEntries(fields.map((f) => [f.path, f.source]));
        for (const [path, source] of Object.entries(scenario.sources ?? {})) expect(sources[path], path).to.equal(source);
      });
    }

    it('reject: of two truly concurrent updates from one base, exactly one is accepted', async function () {
      const results = await Promise.allSettled(
        [{ humor: 1 }, { humor: 99 }].map((patch) => base.configuration.updateRecord('personality', 'ada', patch, { expectedVersion: 1, strategy: 'reject' })),
      );
      expect(results.filter((r) => r.status === 'fulfilled')).to.have.length(1);
      const rejected = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
      expect((rejected.reason as AgentcfgError).code).to.equal('CONFLICT');
      expect((await base.configuration.getPersonality('ada'))?.version).to.equal(2);
    });

    describe('Scenario: merge updates from several OS processes', function () {
      /** Starts one merge worker per field, each making `updatesEach` merge updates of `id`; returns their reports. */
      async function mergeConcurrently(context: Mocha.Context, id: string, spec: { processes: number; updatesEach: number; fields: string[] }) {
        const { processes, updatesEach, fields } = spec;
        const runs = await timedStep(context, `${processes} x ${updatesEach} merge updates of ${id}`, () =>
          Promise.all(fields.slice(0, processes).map((field) => waitForExit(startWorker('merge-worker', [storeArg(), id, field, String(updatesEach)])))),
        );
        const reports = runs.map((run) => {
          expect(run.code, run.stderr).to.equal(0);
          return JSON.parse(run.stdout.trim()) as { lost: number; merged: number; retried: number };
        });
        addContext(context, { title: 'merge workers', value: reports });
        for (const report of reports) expect(report.lost, 'no update of a worker was overwritten').to.equal(0);
        expect(reports.reduce((n, r) => n + r.merged, 0), 'updates made against an older version were merged').to.be.greaterThan(0);
        const final = (await base.configuration.getPersonality(id)) as unknown as Record<string, number>;
        for (const field of fields.slice(0, processes)) expect(final[field], field).to.equal(updatesEach % 101);
        return final;
      }

      it(`${fixture.concurrentMerge.processes} OS processes x ${fixture.concurrentMerge.updatesEach} merge updates to disjoint fields lose nothing`, async function () {
        this.timeout(300_000);
        const { personalityId, expectedVersion } = fixture.concurrentMerge;
        await base.configuration.createPersonality({ ...validRecords().personality, id: personalityId, name: 'Merge target' } as never);
        const final = await mergeConcurrently(this, personalityId, fixture.concurrentMerge);
        expect(final.version).to.equal(expectedVersion);
      });

      it(`${fixture.concurrentPropagation.processes} OS processes x ${fixture.concurrentPropagation.updatesEach} merge updates of a personality an agent uses: each re-resolves the agent, which ends on the last version`, async function () {
        this.timeout(300_000);
        const valid = validRecords();
        const final = await mergeConcurrently(this, valid.personality.id as string, fixture.concurrentPropagation);
        expect(final.version).to.equal(fixture.concurrentPropagation.expectedVersion);
        const agent = await base.configuration.getAgent(valid.agent.id as string);
        expect(agent?.resolution?.personalityVersion, 'the agent is resolved from the last version').to.equal(final.version);
        expect((await base.configuration.verify()).findings).to.deep.equal([]);
      });
    });
  });

  describe('Scenario: history and restore', function () {
    it('keeps the last 20 versions and restores one as a new version', async function () {
      for (let i = 1; i <= 25; i++) await base.configuration.updatePersonality('ada', { humor: i });
      const history = await base.configuration.recordHistory('personality', 'ada');
      expect(history.map((r) => r.version)).to.deep.equal(Array.from({ length: 20 }, (_, i) => i + 6));
      const restored = await base.configuration.restoreRecord('personality', 'ada', 10);
      expect(restored).to.deep.include({ version: 27, humor: 9 });
      expect(((await expect(base.configuration.restoreRecord('personality', 'ada', 1)).to.be.rejected) as AgentcfgError).code).to.equal('NOT_FOUND');
      const merged = await base.configuration.updateRecord('personality', 'ada', { empathy: 3 }, { expectedVersion: 26, strategy: 'merge' });
      expect(merged.record).to.deep.include({ humor: 9, empathy: 3, version: 28 });
    });

    // About the history file: lines appended to it by hand.
    describeFileStoreOnly('Scenario: lines added to the history file', function () {
      it('still keeps the last 20 when lines were added to the history file between two updates', async function () {
        const historyPath = join(base.dataDir, 'config', 'personalities.history.jsonl');
        const adaLines = async () => (await readFile(historyPath, 'utf8')).split('\n').filter((l) => l.includes('"id":"ada"'));
        for (let i = 1; i <= 18; i++) await base.configuration.updatePersonality('ada', { humor: i });
        const lines = await adaLines();
        expect(lines).to.have.length(18);
        // Five more lines of ada's, as another process or a hand edit could add them: 23 now, 24 after the next update.
        await writeFile(historyPath, `${await readFile(historyPath, 'utf8')}${`${lines[0]}\n`.repeat(5)}`);
        await base.configuration.updatePersonality('ada', { humor: 99 });
        expect(await adaLines(), 'trimmed to the limit, counting the lines added').to.have.length(20);
        await base.configuration.updatePersonality('ada', { humor: 98 });
        expect(await adaLines()).to.have.length(20);
      });
    });

    it('offers history, restore and merge on the command line', async function () {
      const dir = base.cliStore;
      await runCli([...dir, 'personality', 'update', 'ada', '--file', '-', '--expected-version', '1'], { stdin: '{"humor":11}' });
      const merge = await runCli([...dir, 'personality', 'update', 'ada', '--file', '-', '--expected-version', '1', '--strategy', 'merge', '--json'], { stdin: '{"empathy":12}' });
      expect(merge.code, merge.stdout).to.equal(0);
      const doc = merge.json<{ data: { version: number }; fields: { path: string; source: string }[] }>();
      expect(doc.data.version).to.equal(3);
      expect(doc.fields).to.deep.include({ path: 'empathy', source: 'mine' });
      const clash = await runCli([...dir, 'personality', 'update', 'ada', '--file', '-', '--expected-version', '1', '--strategy', 'merge'], { stdin: '{"humor":50}' });
      expect(clash.code).to.equal(5);
      expect(clash.stderr).to.include('conflicting fields: humor');
      const ruled = await runCli([...dir, 'personality', 'update', 'ada', '--file', '-', '--expected-version', '1', '--strategy', 'merge', '--rule', 'humor=max'], { stdin: '{"humor":50}' });
      expect(ruled.stdout).to.include('humor: rule:max');
      expect((await runCli([...dir, 'personality', 'update', 'ada', '--file', '-', '--strategy', 'sometimes'], { stdin: '{}' })).code).to.equal(2);
      const history = await runCli([...dir, 'personality', 'history', 'ada']);
      expect(history.stdout).to.match(/^VERSION\s+UPDATED\s+NAME/);
      const restore = await runCli([...dir, 'personality', 'restore', 'ada', '--version', '1', '--json']);
      expect(restore.json<{ data: { humor: number; version: number } }>().data).to.deep.include({ humor: 30, version: 5 });
    });
  });

  describe('Scenario: a change propagates to every agent built from it', function () {
    const { agents: count, patch, failAtAgent, rolePatch } = fixture.propagation;

    beforeEach(async function () {
      const agent = validRecords().agent;
      const agents = Array.from({ length: count - 1 }, (_, i) => ({ ...agent, id: `member-${i + 1}`, name: `Member ${i + 1}` }));
      await base.configuration.importBundle({ agents });
    });

    it(`re-resolves all ${count} agents in the same workflow as the personality change`, async function () {
      const updated = await timedStep(this, `update a personality used by ${count} agents`, () => base.configuration.updatePersonality('ada', patch as never));
      expect(updated.version).to.equal(2);
      const [run] = await base.configuration.listWorkflows();
      if (run) attachRun(this, run);
      expect(run?.name).to.equal('update-personality-and-propagate');
      expect(run?.status).to.equal('COMPLETED');
      expect(run?.steps).to.have.length(count + 1);
      const agents = await base.configuration.getAllAgents();
      expect(agents).to.have.length(count);
      const personality = await base.configuration.getPersonality('ada');
      const role = await base.configuration.getRole('reviewer');
      const expected = resolutionOf(personality as Personality, role as Role);
      for (const agent of agents) expect(agent.resolution, agent.id).to.deep.equal(expected);
      expect((await base.configuration.verify()).consistent).to.equal(true);

      await base.configuration.updateRole('reviewer', rolePatch as never);
      const roleRun = (await base.configuration.listWorkflows())[0];
      expect(roleRun?.name).to.equal('update-role-and-propagate');
      expect((await base.configuration.verify()).consistent).to.equal(true);
    });

    it(`a fault while re-resolving the ${failAtAgent}th agent rolls back the personality and every agent`, async function () {
      const before = await snapshotRecords(base.configuration);
      const fake = misbehave(base.container.get(SERVICE_TOKENS.agent) as never, 'update', { kind: 'permanent', code: 'INTERNAL_ERROR', message: 'agent store failed' }, failAtAgent);
      const env = await createTestContainer({ dataDir: base.dataDir, overrides: [[SERVICE_TOKENS.agent, fake.service]] });
      const error = (await expect(env.configuration.updatePersonality('ada', patch as never)).to.be.rejected) as AgentcfgError;
      expect(error.message).to.include('agent store failed').and.to.include('every change was undone');
      expect(fake.stub.callCount).to.equal(failAtAgent);
      expect(await snapshotRecords(env.configuration)).to.deep.equal(before);
      expect((await env.configuration.verify()).consistent).to.equal(true);
    });
  });

  describe('Scenario: changes are seen across processes', function () {
    it('emits typed change events with revisions for changes made here', async function () {
      const events: ChangeEvent[] = [];
      const subscriptions = [
        base.configuration.onDidChangePersonality((e) => events.push(e)),
        base.configuration.onDidChangeAgent((e) => events.push(e)),
      ];
      await base.configuration.updatePersonality('ada', { humor: 1 });
      await base.configuration.createRole({ ...validRecords().role, id: 'quiet' });
      subscriptions.forEach((s) => s.dispose());
      await base.configuration.updatePersonality('ada', { humor: 2 });
      const revision = (kind: 'personality' | 'agent') => events.find((e) => e.kind === kind)?.revision ?? 0;
      expect(events).to.deep.equal([
        { kind: 'personality', id: 'ada', change: 'updated', version: 2, revision: revision('personality') },
        { kind: 'agent', id: 'ada-reviewer', change: 'updated', version: 2, revision: revision('agent') },
      ]);
      expect(revision('personality')).to.be.greaterThan(1);
    });

    it("a second process sees the first's change on its next read, and `watch` reports it", async function () {
      const watch = spawn(process.execPath, [CLI_BIN, ...base.cliStore, 'watch', '--json', '--count', '2'], { stdio: ['ignore', 'pipe', 'pipe'] });
      const exited = waitForExit(watch);
      await waitForLine(watch, '{"ok":true,"data":{"watching"');
      // The second process: the agentcfg binary, updating ada against the version it read.
      const current = await base.configuration.getPersonality('ada');
      const update = await runCli([...base.cliStore, 'personality', 'update', 'ada', '--file', '-', '--expected-version', String(current?.version)], {
        stdin: JSON.stringify({ customInstructions: current?.customInstructions ? `${current.customInstructions},w1` : 'w1' }),
      });
      expect(update.code, update.stdout + update.stderr).to.equal(0);
      expect((await base.configuration.getPersonality('ada'))?.customInstructions, 'no stale cache in this process').to.include('w1');
      const { code, stdout } = await timedStep(this, 'watch sees the other process', () => exited);
      expect(code).to.equal(0);
      const events = stdout.trim().split('\n').slice(1).map((l) => (JSON.parse(l) as { data: ChangeEvent }).data);
      expect(events.map((e) => `${e.kind}:${e.id}:${e.change}`)).to.deep.equal(['personality:ada:updated', 'agent:ada-reviewer:updated']);
      expect(events[0]?.version).to.equal(2);
    });
  });

  describe('Scenario: reconciliation after drift', function () {
    // About the collection files: records edited by hand, found by verify as FILE_HAND_EDITED.
    describeFileStoreOnly('Scenario: collection files edited by hand', function () {
      it('verify names drift made by hand (a dangling reference, a stale resolution, a RUNNING journal) and repair fixes it', async function () {
        await base.configuration.createAgent({ ...validRecords().agent, id: 'second', name: 'Second' });
        const killed = await runAndKill('new-team-member', 'after:newRole', { journaled: true });
        // Edited as a clean exit leaves the files: the change logs folded in.
        await base.configuration.compact();
        const edit = async (file: string, change: (doc: Record<string, Record<string, unknown>[]>) => void) => {
          const path = join(base.dataDir, 'config', file);
          const doc = JSON.parse(await readFile(path, 'utf8'));
          change(doc);
          await writeFile(path, JSON.stringify(doc, null, 2));
        };
        await edit('agents.json', (doc) => ((doc.agents?.find((a) => a.id === 'second') as Record<string, unknown>).roleId = 'gone'));
        await edit('personalities.json', (doc) => ((doc.personalities?.find((p) => p.id === 'ada') as Record<string, unknown>).humor = 3));

        const verify = await timedStep(this, 'agentcfg verify', () => runCli(['--dir', base.dataDir, 'verify', '--json']));
        expect(verify.code).to.equal(10);
        const findings = verify.json<{ error: { code: string; report: { findings: { code: string; records: { id: string }[] }[] } } }>().error.report.findings;
        const named = findings.map((f) => `${f.code}:${f.records[0]?.id}`);
        expect(named).to.include.members([
          'DANGLING_REFERENCE:second',
          'STALE_RESOLUTION:ada-reviewer',
          `UNFINISHED_WORKFLOW:${killed}`,
          `FILE_HAND_EDITED:${join(base.dataDir, 'config', 'agents.json')}`,
          `FILE_HAND_EDITED:${join(base.dataDir, 'config', 'personalities.json')}`,
        ]);
        const text = await runCli(['--dir', base.dataDir, 'verify']);
        expect(text.stdout).to.include('DANGLING_REFERENCE').and.to.include("agent 'second' refers to missing role 'gone'");

        const dry = await runCli(['--dir', base.dataDir, 'repair', '--dry-run', '--json']);
        expect(dry.code).to.equal(0);
        expect((await runCli(['--dir', base.dataDir, 'verify'])).code, 'a dry run changes nothing').to.equal(10);

        const repair = await timedStep(this, 'agentcfg repair', () => runCli(['--dir', base.dataDir, 'repair', '--json']));
        expect(repair.code, 'dangling agents are reported, not deleted').to.equal(10);
        const report = repair.json<{ data: { actions: { action: string }[]; remaining: { code: string }[] } }>().data;
        expect(report.actions.map((a) => a.action)).to.include.members(['re-resolve', 'recover', 're-stamp']);
        expect(report.remaining.map((f) => f.code)).to.deep.equal(['DANGLING_REFERENCE']);
        expect(await base.configuration.getAgent('second'), 'never silently deleted').to.not.equal(null);

        const prune = await runCli(['--dir', base.dataDir, 'repair', '--prune-dangling']);
        expect(prune.code, prune.stdout).to.equal(0);
        const clean = await runCli(['--dir', base.dataDir, 'verify']);
        expect(clean.code, clean.stdout).to.equal(0);
        expect(clean.stdout).to.include('Consistent');

        const reopened = await createTestContainer({ dataDir: base.dataDir });
        expect(await reopened.configuration.getAgent('second')).to.equal(null);
        expect(await reopened.configuration.getPersonality('bea'), 'the killed workflow was undone').to.equal(null);
        const resolved = await reopened.configuration.getAgent('ada-reviewer');
        expect(resolved?.resolution?.personalityVersion).to.equal((await reopened.configuration.getPersonality('ada'))?.version);
      });
    });

    it('stamps every agent with what it was resolved from, and verify notices when a source moves on', async function () {
      const agent = await base.configuration.getAgent('ada-reviewer');
      expect(agent?.resolution).to.deep.include({ personalityVersion: 1, roleVersion: 1 });
      expect((await base.configuration.verify()).consistent).to.equal(true);
      // A change that bypasses the configuration service (and so its propagation) leaves the agent stale.
      await base.container.get<IRoleService>(IRoleService).update('reviewer', { systemPrompt: 'You review everything twice.' }, { context: base.configuration.issueContext() });
      const report = await base.configuration.verify();
      expect(report.findings.map((f) => f.code)).to.deep.equal(['STALE_RESOLUTION']);
      const repaired = await base.configuration.repair();
      expect(repaired.remaining).to.deep.equal([]);
      expect((await base.configuration.getAgent('ada-reviewer'))?.resolution?.roleVersion).to.equal(2);
    });
  });

  // Recovering a killed workflow's journal: what a workflow with a custom step leaves behind (see runAndKill).
  describeFileStoreOnly('Scenario: recovery of a journal a killed workflow left', function () {
    it('undoes a killed workflow on start-up, before anyone reads its records', async function () {
      const before = await snapshotRecords(base.configuration);
      const id = (await runAndKill('new-team-member', 'after:newRole', { journaled: true })) as string;
      const reopened = await timedStep(this, 'open the folder again', () => createTestContainer({ dataDir: base.dataDir }));
      expect(await snapshotRecords(reopened.configuration)).to.deep.equal(before);
      expect(statusTrail(await journalOf(base, id)).slice(-2)).to.deep.equal(['COMPENSATING', 'COMPENSATED']);
      const reported = await reopened.configuration.recoverWorkflows({ includeFailed: true });
      expect(reported, 'start-up recovery is reported once').to.have.length(1);
      expect(reported[0]).to.deep.include({ workflowId: id, from: 'RUNNING', to: 'COMPENSATED', compensated: ['newRole', 'newPersonality'] });
      expect(await reopened.configuration.recoverWorkflows({ includeFailed: true }), 'nothing left to do').to.deep.equal([]);
    });

    it('leaves a workflow that a live process is running alone', async function () {
      const definition = workflows.find((w) => w.definition.name === 'new-team-member')?.definition;
      const file = join(base.dataDir, 'workflow.json');
      await writeFile(file, JSON.stringify(definition));
      const child = startWorker('workflow-crasher', [storeArg(), file, 'after:newPersonality', 'journaled']);
      const exited = waitForExit(child);
      try {
        await waitForLine(child, 'PAUSED');
        const reports = await base.configuration.recoverWorkflows({ includeFailed: true });
        expect(reports).to.have.length(1);
        expect(reports[0]).to.deep.include({ from: 'RUNNING', to: 'RUNNING', skipped: 'a live process is running it' });
        expect(await base.configuration.getPersonality('bea'), 'the live workflow keeps its work').to.not.equal(null);
      } finally {
        child.kill('SIGKILL');
        await exited;
      }
    });
  });
});
