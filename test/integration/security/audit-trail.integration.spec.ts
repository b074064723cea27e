import { expect } from 'chai';
import sinon from 'sinon';
import { cp, writeFile } from 'node:fs/promises';
import { auditHash, GENESIS_HASH, type AuditEntry } from '../../../src/audit/audit-entry';
import type { Finding } from '../../../src/services/consistency/consistency-service';
import { checksumOf } from '../../../src/domain/canonical-json';
import { IFileSystem } from '../../../src/storage/file-system';
import { auditLogPath, readAuditEntries, readAuditLines } from '../../support/audit-log';
import { FAST_RESILIENCE, SERVICE_TOKENS, multiServiceWorkflows, seedValidRecords } from '../../support/coordination';
import { loadFixture } from '../../support/fixtures';
import { validRecords } from '../../support/records';
import { runCli, type CliRun } from '../../support/run-cli';
import { runCliInProcess } from '../../support/run-cli-in-process';
import { misbehave } from '../../support/service-fakes';
import { collectionChanges, recordingFileSystem } from '../../support/file-system-calls';
import { auditEntriesOf, auditLinesOf } from '../../support/store-state';
import { createTestContainer, describeFileStoreOnly, makeTempDir, type TestContainer } from '../../support/test-container';

/** A line of the log, 1-based; negative counts from the end (-1 is the last line). */
type LineRef = number;

/** How one catalogue entry tampers with the log (test/fixtures/security/attacks.json, "auditTampering"). */
type Tampering =
  | { op: 'edit'; line: LineRef; set: Record<string, unknown>; resign?: boolean }
  | { op: 'delete'; line: LineRef }
  | { op: 'insert'; at: LineRef; copyOf?: LineRef; handMade?: 'made-up-hash' | 'chained' }
  | { op: 'swap'; a: LineRef; b: LineRef }
  | { op: 'move'; from: LineRef; to: LineRef }
  | { op: 'truncate'; lines: number }
  | { op: 'cut-short'; line: LineRef; keepChars: number; keepRest?: boolean };

interface TamperingCase {
  kind: 'edit' | 'delete' | 'insert' | 'reorder' | 'truncate';
  name: string;
  how: Tampering;
  expectedLine: { from: 'firstChangedLine'; plus: number };
  why: string;
}

const tamperings = loadFixture<{ auditTampering: { cases: TamperingCase[] } }>('security/attacks.json').auditTampering.cases;
const valid = validRecords();

/** The tampered file's text, from the untouched log's lines. */
function tamper(original: readonly string[], how: Tampering): string {
  const lines = [...original];
  const index = (ref: LineRef) => (ref < 0 ? lines.length + ref : ref - 1);
  const at = (ref: LineRef) => lines[index(ref)] as string;
  switch (how.op) {
    case 'edit': {
      const entry = JSON.parse(at(how.line)) as AuditEntry & Record<string, unknown>;
      for (const [key, value] of Object.entries(how.set)) {
        expect(entry[key], `line ${how.line} already has ${key}=${String(value)}`).to.not.deep.equal(value);
        entry[key] = value;
      }
      if (how.resign) entry.hash = auditHash(entry);
      lines[index(how.line)] = JSON.stringify(entry);
      break;
    }
    case 'delete':
      lines.splice(index(how.line), 1);
      break;
    case 'insert': {
      let inserted: string;
      if (how.copyOf !== undefined) {
        inserted = at(how.copyOf);
      } else {
        const before = JSON.parse(lines[index(how.at) - 1] as string) as AuditEntry;
        const forged = { seq: before.seq + 1, at: before.at, actor: 'mallory', role: 'admin', requestId: 'forged', action: 'personality.delete', target: { kind: 'personality', id: 'ada' }, outcome: 'ok', prev: before.hash };
        inserted = JSON.stringify({ ...forged, hash: how.handMade === 'chained' ? auditHash(forged as Omit<AuditEntry, 'hash'>) : `sha256:${'f'.repeat(64)}` });
      }
      lines.splice(index(how.at), 0, inserted);
      break;
    }
    case 'swap': {
      const [a, b] = [at(how.a), at(how.b)];
      lines[index(how.a)] = b;
      lines[index(how.b)] = a;
      break;
    }
    case 'move': {
      const [moved] = lines.splice(index(how.from), 1);
      lines.splice(index(how.to), 0, moved as string);
      break;
    }
    case 'truncate':
      return `${lines.slice(0, lines.length - how.lines).join('\n')}\n`;
    case 'cut-short': {
      const i = index(how.line);
      const short = at(how.line).slice(0, how.keepChars);
      if (how.keepRest) {
        lines[i] = short;
        break;
      }
      return [...lines.slice(0, i), short].join('\n');
    }
  }
  return `${lines.join('\n')}\n`;
}

/** The first 1-based line whose text differs from the untouched log at the same place (a missing line differs). */
function firstChangedLine(original: readonly string[], tamperedText: string): number {
  const tampered = tamperedText.split('\n');
  if (tampered[tampered.length - 1] === '') tampered.pop();
  for (let i = 0; i < Math.max(original.length, tampered.length); i++) {
    if (original[i] !== tampered[i]) return i + 1;
  }
  throw new Error('the tampered log is the same as the original');
}

interface VerifyDocument {
  ok: boolean;
  error?: { code: string; message: string; details: { path: string; message: string }[]; report?: { findings: Finding[] } };
}

describe('Feature: the audit trail — one hash-chained line per change, denial and workflow transition, and tampering is found', function () {
  let env: TestContainer;
  const ran = { tampering: 0, other: 0 };

  beforeEach(async function () {
    env = await createTestContainer();
  });

  afterEach(async function () {
    sinon.restore();
    await env.dispose();
  });

  after(function () {
    console.log(`security: ${ran.tampering + ran.other} audit-trail cases (${ran.tampering} tampering cases, each through verifyAudit(), \`audit verify\` and \`verify\`; ${ran.other} on entries, workflows, clean and binary checks, listing)`);
  });

  describe('Scenario: every change is one entry saying who, what, and the record before and after', function () {
    it('create, update and delete carry the actor, role, request, versions and sha256 digests of the record, chained to the line before', async function () {
      const before = (await auditEntriesOf(env)).length;
      const eddie = env.configuration.as({ actor: 'eddie', role: 'editor', requestId: 'req-42' });
      const started = Date.now();
      const created = await eddie.createPersonality(valid.personality);
      expect(checksumOf(await env.configuration.getPersonality('ada')), 'the record as stored').to.equal(checksumOf(created));
      const updated = await eddie.updatePersonality('ada', { humor: 77 });
      const deleted = await eddie.deletePersonality('ada', { expectedVersion: 2 });
      const ended = Date.now();
      expect(deleted).to.deep.equal(updated);

      const all = await auditEntriesOf(env);
      const added = all.slice(before);
      expect(added.map((e) => [e.action, e.versionBefore, e.versionAfter, e.digestBefore, e.digestAfter])).to.deep.equal([
        ['personality.create', null, 1, null, checksumOf(created)],
        ['personality.update', 1, 2, checksumOf(created), checksumOf(updated)],
        ['personality.delete', 2, null, checksumOf(updated), null],
      ]);
      for (const entry of added) {
        expect(entry).to.include({ actor: 'eddie', role: 'editor', requestId: 'req-42', outcome: 'ok' });
        expect(entry.target).to.deep.equal({ kind: 'personality', id: 'ada' });
        expect(entry).to.not.have.property('workflowId');
        expect(Date.parse(entry.at)).to.be.within(started, ended);
        expect(entry.digestAfter ?? entry.digestBefore).to.match(/^sha256:[0-9a-f]{64}$/);
      }
      all.forEach((entry, i) => {
        expect(entry.seq, `line ${i + 1}`).to.equal(i + 1);
        expect(entry.prev, `line ${i + 1}`).to.equal(i === 0 ? GENESIS_HASH : all[i - 1]?.hash);
        expect(entry.hash, `line ${i + 1}`).to.equal(auditHash(entry));
      });
      ran.other++;
    });

    it("an agent's digest is of the record as stored, fields the service stamps included", async function () {
      await env.configuration.createPersonality(valid.personality);
      await env.configuration.createRole(valid.role);
      const agent = await env.configuration.createAgent(valid.agent);
      const stored = await env.configuration.getAgent(agent.id);
      expect(stored).to.have.property('resolution');
      expect((await auditEntriesOf(env)).at(-1)).to.deep.include({ action: 'agent.create', target: { kind: 'agent', id: agent.id }, versionAfter: 1, digestAfter: checksumOf(stored) });
      ran.other++;
    });

    it('a change that fails is on record as failed with its reason, and nothing is recorded as done', async function () {
      await env.configuration.createPersonality(valid.personality);
      const before = (await auditEntriesOf(env)).length;
      await expect(env.configuration.as({ actor: 'eddie', role: 'editor' }).updatePersonality('ada', { humor: 5 }, { expectedVersion: 9 })).to.be.rejected;
      const added = (await auditEntriesOf(env)).slice(before);
      expect(added.map((e) => [e.actor, e.action, e.outcome])).to.deep.equal([['eddie', 'personality.update', 'failed']]);
      expect(added[0]?.reason).to.match(/^CONFLICT: /);
      expect(added[0]).to.not.have.property('versionAfter');
      ran.other++;
    });
  });

  describe('Scenario: a compensated workflow leaves every step and every undo on record, with its actor and workflow id', function () {
    it('retune-agent run by editor wanda, whose last step fails for good: started, completed, failed and compensated steps and the record reverts are all audited', async function () {
      await seedValidRecords(env.configuration);
      const workflow = multiServiceWorkflows().workflows.find((w) => w.definition.name === 'retune-agent');
      if (!workflow) throw new Error('fixture workflow retune-agent is missing');
      const steps = workflow.definition.steps;
      const failing = steps.length - 1;
      const failingStep = steps[failing] as (typeof steps)[number];
      const fake = misbehave(env.container.get(SERVICE_TOKENS[failingStep.service]) as never, failingStep.action, { kind: 'permanent', code: 'CONFLICT', message: 'the agent store refused' });
      const faked = await createTestContainer({ dataDir: env.dataDir, overrides: [[SERVICE_TOKENS[failingStep.service], fake.service]], resilience: FAST_RESILIENCE });
      const digestsBefore = await Promise.all(steps.map(async (s) => checksumOf(await env.container.get<{ get(id: string): Promise<unknown> }>(SERVICE_TOKENS[s.service]).get((s.input as { id: string }).id))));
      const before = (await auditEntriesOf(env)).length;

      const run = await faked.configuration.as({ actor: 'wanda', role: 'editor' }).runWorkflow(workflow.definition);
      expect(run.status).to.equal('COMPENSATED');
      expect(run.owner).to.include({ actor: 'wanda', role: 'editor' });

      const added = (await auditEntriesOf(env)).slice(before);
      const expected: [string, string | undefined, string][] = [
        ['workflow.started', undefined, 'ok'],
        ['workflow.running', undefined, 'ok'],
        ...steps.slice(0, failing).flatMap((s): [string, string, string][] => [
          ['step.started', s.id, 'ok'],
          [`${s.service}.${s.action}`, s.id, 'ok'],
          ['step.completed', s.id, 'ok'],
        ]),
        ['step.started', failingStep.id, 'ok'],
        ['step.failed', failingStep.id, 'failed'],
        ['workflow.compensating', undefined, 'failed'],
        // The failed step wrote nothing, so it is compensated without a revert.
        ['step.compensated', failingStep.id, 'compensated'],
        ...steps
          .slice(0, failing)
          .reverse()
          .flatMap((s): [string, string, string][] => [
            [`${s.service}.revert`, s.id, 'compensated'],
            ['step.compensated', s.id, 'compensated'],
          ]),
        ['workflow.compensated', undefined, 'compensated'],
      ];
      expect(added.map((e) => [e.action, e.stepId, e.outcome])).to.deep.equal(expected);
      for (const entry of added) {
        expect(entry, `${entry.seq} ${entry.action}`).to.include({ actor: 'wanda', role: 'editor', requestId: run.owner.requestId, workflowId: run.id });
      }
      expect(added.find((e) => e.action === 'step.failed')?.reason).to.include('the agent store refused');

      steps.slice(0, failing).forEach((step, i) => {
        const forward = added.find((e) => e.action === `${step.service}.${step.action}` && e.stepId === step.id) as AuditEntry;
        const revert = added.find((e) => e.action === `${step.service}.revert` && e.stepId === step.id) as AuditEntry;
        expect(forward.target).to.deep.equal({ kind: step.service, id: (step.input as { id: string }).id });
        expect(revert.target).to.deep.equal(forward.target);
        expect(forward.digestBefore, `${step.id}: the record before the workflow`).to.equal(digestsBefore[i]);
        expect([revert.versionBefore, revert.versionAfter, revert.digestBefore, revert.digestAfter], `${step.id}: the undo runs the change backwards`).to.deep.equal([
          forward.versionAfter,
          forward.versionBefore,
          forward.digestAfter,
          forward.digestBefore,
        ]);
      });
      expect(await env.configuration.verifyAudit()).to.deep.equal({ ok: true, entries: before + added.length });
      ran.other++;
    });
  });

  // About the data folder's files: which fdatasync makes a workflow's audit entries durable, and when.
  describeFileStoreOnly("Scenario: a workflow's transitions reach the disk with the change they lead to", function () {
    it('create-agent: its twelve audit entries are made durable by the same single fdatasync as its changes, before any file changes', async function () {
      const recording = recordingFileSystem();
      const recorded = await createTestContainer({ overrides: [[IFileSystem, recording.fs]] });
      const before = (await readAuditEntries(recorded.dataDir)).length;
      recording.calls.splice(0);
      const { personality, role, agent } = validRecords();
      await recorded.configuration.createAgentWithDependencies({
        personality: { ...personality, id: 'batched-p' },
        role: { ...role, id: 'batched-r', name: 'Batched' },
        agent: { ...agent, id: 'batched-a', personalityId: 'batched-p', roleId: 'batched-r' },
      });

      const added = (await readAuditEntries(recorded.dataDir)).slice(before);
      expect(added.map((e) => e.action)).to.deep.equal([
        ...['workflow.started', 'workflow.running', 'step.started', 'personality.create'],
        ...['step.completed', 'step.started', 'role.create'],
        ...['step.completed', 'step.started', 'agent.create'],
        ...['step.completed', 'workflow.completed'],
      ]);
      // One fdatasync for the whole workflow: of the folder log, whose one entry holds the records, the audit entries
      // and the journal; every file changes after it.
      const syncs = recording.calls.flatMap((c, at) => (c.call === 'datasync' || c.call === 'sync' ? [{ ...c, at }] : []));
      expect(syncs.map((c) => `${c.call} ${c.file}`), 'fdatasyncs of the workflow').to.deep.equal(['datasync commits.log']);
      const durable = syncs[0]?.at as number;
      const logWrites = recording.calls.filter((c) => c.file === 'commits.log' && c.call === 'write');
      expect(logWrites[0]?.lines, 'one entry of the folder log').to.equal(1);
      const auditWrites = recording.calls.flatMap((c, at) => (c.file === 'audit.jsonl' && c.call === 'write' ? [{ ...c, at }] : []));
      expect(auditWrites.map((c) => c.lines), 'entries per audit write').to.deep.equal([12]);
      expect(auditWrites[0]?.at, 'the audit log is written after the fdatasync').to.be.greaterThan(durable);
      const changes = collectionChanges(recording.calls);
      expect(new Set(changes.map((c) => c.collection)), 'each record reaches its collection').to.deep.equal(new Set(['personalities.json', 'roles.json', 'agents.json']));
      for (const { collection, at } of changes) expect(at, `${collection} is changed after the fdatasync`).to.be.greaterThan(durable);
      expect(await recorded.configuration.verifyAudit()).to.deep.equal({ ok: true, entries: before + added.length });
      ran.other++;
    });
  });

  describe('Scenario: tampering with the log is found, naming the first bad line', function () {
    /** The log every case starts from: templates seeded, records made, a refused change, an update and one more record. */
    async function writeTheLog(configuration: TestContainer['configuration']): Promise<void> {
      await seedValidRecords(configuration);
      await expect(configuration.as({ actor: 'vic', role: 'viewer' }).deleteAgent('ada-reviewer')).to.be.rejected;
      await configuration.updateAgent('ada-reviewer', { color: '#000000' });
      await configuration.createRole({ ...valid.role, id: 'extra', name: 'Extra' });
    }

    const auditVerify = (store: string[]) => runCliInProcess([...store, '--json', 'audit', 'verify']);
    const verify = (store: string[]) => runCliInProcess([...store, '--json', 'verify']);

    it('an untouched log verifies clean: verifyAudit(), `audit verify` (exit 0) and `verify` (exit 0)', async function () {
      await writeTheLog(env.configuration);
      const original = await auditLinesOf(env);
      expect(original.length, 'a log long enough for every case').to.be.at.least(15);
      const opened = await createTestContainer({ dataDir: env.dataDir });
      expect(await opened.configuration.verifyAudit()).to.deep.equal({ ok: true, entries: original.length });
      const checked = await auditVerify(env.cliStore);
      expect(checked.code, checked.stdout).to.equal(0);
      expect(checked.json<{ data: unknown }>().data).to.deep.equal({ ok: true, entries: original.length });
      const consistency = await verify(env.cliStore);
      expect(consistency.code, consistency.stdout).to.equal(0);
      expect(await auditLinesOf(env), 'checking writes nothing to the log').to.deep.equal(original);
      ran.other++;
    });

    // The log's file tampered with, byte by byte.
    describeFileStoreOnly('Scenario: the log file edited, cut short or reordered', function () {
      let untouched: string;
      let original: string[];

      /** One log for every case. */
      before(async function () {
        const made = await createTestContainer();
        await writeTheLog(made.configuration);
        // Left as a process leaves it when it ends: the log is tampered with while nobody has the folder open.
        await made.configuration.close();
        untouched = made.dataDir;
        original = await readAuditLines(untouched);
        expect(original.length, 'a log long enough for every case').to.be.at.least(15);
        expect((JSON.parse(original.at(-3) as string) as AuditEntry).outcome, 'line -3 is the denial').to.equal('denied');
      });

      /** A copy of the untouched data folder for one test. */
      async function copyOfLog(): Promise<string> {
        const dataDir = await makeTempDir();
        await cp(untouched, dataDir, { recursive: true });
        return dataDir;
      }

      for (const tampering of tamperings) {
        it(`${tampering.kind}: ${tampering.name} → line firstChanged${tampering.expectedLine.plus ? ` + ${tampering.expectedLine.plus}` : ''} (${tampering.why})`, async function () {
          const dataDir = await copyOfLog();
          const text = tamper(original, tampering.how);
          await writeFile(auditLogPath(dataDir), text);
          const line = firstChangedLine(original, text) + tampering.expectedLine.plus;

          const opened = await createTestContainer({ dataDir });
          const verification = await opened.configuration.verifyAudit();
          expect(verification, JSON.stringify(verification)).to.include({ ok: false, badLine: line });
          expect(verification.problem).to.include(`line ${line}`);

          const checked = await auditVerify(['--dir', dataDir]);
          expect(checked.code, checked.stdout + checked.stderr).to.equal(8);
          const error = checked.json<VerifyDocument>().error;
          expect(error?.code).to.equal('INTEGRITY_ERROR');
          expect(error?.details.map((d) => d.path)).to.deep.equal([`line ${line}`]);

          const consistency = await verify(['--dir', dataDir]);
          expect(consistency.code, consistency.stdout + consistency.stderr).to.equal(10);
          const findings = consistency.json<VerifyDocument>().error?.report?.findings ?? [];
          expect(findings.map((f) => [f.code, f.line])).to.deep.equal([['AUDIT_TAMPERED', line]]);

          expect(await readAuditLines(dataDir), 'the evidence is left as it is').to.deep.equal(text.split('\n').filter((l, i, all) => i < all.length - 1 || l !== ''));
          ran.tampering++;
        });
      }

      it('through the agentcfg binary: `audit verify` exits 8 naming the line on stderr, `verify` exits 10 with AUDIT_TAMPERED at that line', async function () {
        const dataDir = await copyOfLog();
        const clean: CliRun = await runCli(['--dir', dataDir, 'audit', 'verify']);
        expect(clean.code, clean.stderr).to.equal(0);
        expect(clean.stdout).to.include(`Audit log intact: ${original.length} entries.`);

        await writeFile(auditLogPath(dataDir), tamper(original, { op: 'delete', line: 9 }));
        const checked = await runCli(['--dir', dataDir, 'audit', 'verify']);
        expect(checked.code, checked.stdout + checked.stderr).to.equal(8);
        expect(checked.stderr).to.match(/^agentcfg: INTEGRITY_ERROR: the audit log was tampered with: line 9/).and.to.include('  - line 9: ');
        const consistency = await runCli(['--dir', dataDir, 'verify']);
        expect(consistency.code, consistency.stdout + consistency.stderr).to.equal(10);
        expect(consistency.stdout).to.match(/ERROR AUDIT_TAMPERED: .*line 9/);
        ran.other++;
      });
    });
  });

  describe('Scenario: `audit list` filters by actor, target and time, and only admins may read the log', function () {
    it('auditEntries({ actor, target: kind:id, since }) returns exactly that actor\'s entries about that record since then; each filter alone narrows by its own field', async function () {
      const alice = env.configuration.as({ actor: 'alice', role: 'editor' });
      const bob = env.configuration.as({ actor: 'bob', role: 'editor' });
      await alice.createPersonality({ ...valid.personality, id: 'p-alice', name: 'Alice P' });
      await bob.updatePersonality('p-alice', { humor: 1 });
      await alice.createRole({ ...valid.role, id: 'r-alice', name: 'Alice R' });
      await new Promise((resolve) => setTimeout(resolve, 5));
      const since = new Date().toISOString();
      await new Promise((resolve) => setTimeout(resolve, 5));
      await alice.updatePersonality('p-alice', { humor: 2 });
      await bob.updatePersonality('p-alice', { humor: 3 });
      await alice.updateRole('r-alice', { name: 'Alice R2' });
      await expect(env.configuration.as({ actor: 'alice', role: 'viewer' }).deletePersonality('p-alice')).to.be.rejected;

      const listed = await env.configuration.auditEntries({ actor: 'alice', target: 'personality:p-alice', since });
      expect(listed.map((e) => [e.actor, e.role, e.action, e.versionBefore, e.versionAfter, e.outcome])).to.deep.equal([
        ['alice', 'editor', 'personality.update', 2, 3, 'ok'],
        ['alice', 'viewer', 'personality.delete', undefined, undefined, 'denied'],
      ]);
      const all = await auditEntriesOf(env);
      expect(listed).to.deep.equal(all.filter((e) => e.actor === 'alice' && e.target?.kind === 'personality' && e.target.id === 'p-alice' && e.at >= since));

      // Each filter alone narrows by its own field only.
      expect((await env.configuration.auditEntries({ actor: 'bob' })).map((e) => [e.action, e.versionAfter])).to.deep.equal([
        ['personality.update', 2],
        ['personality.update', 4],
      ]);
      expect((await env.configuration.auditEntries({ target: 'r-alice' })).map((e) => e.action)).to.deep.equal(['role.create', 'role.update']);
      expect(await env.configuration.auditEntries({ since })).to.deep.equal(all.filter((e) => Date.parse(e.at) >= Date.parse(since)));
      expect((await env.configuration.auditEntries({ since })).length).to.equal(4);
      ran.other++;
    });

    it('an editor asking for `audit list` gets exit 6 naming read-audit, and the refusal is on record', async function () {
      const before = await auditEntriesOf(env);
      // On `audit list`, --actor is the filter; who asks comes from $AGENTCFG_ACTOR.
      const run = await runCli([...env.cliStore, '--as', 'editor', 'audit', 'list', '--actor', 'alice'], { env: { AGENTCFG_ACTOR: 'eddie' } });
      expect(run.code, run.stdout + run.stderr).to.equal(6);
      expect(run.stdout).to.equal('');
      expect(run.stderr).to.match(/^agentcfg: FORBIDDEN: /).and.to.include("'read-audit'");
      const added = (await auditEntriesOf(env)).slice(before.length);
      expect(added.map((e) => [e.actor, e.role, e.action, e.outcome])).to.deep.equal([['eddie', 'editor', 'audit.list', 'denied']]);
      ran.other++;
    });
  });
});
