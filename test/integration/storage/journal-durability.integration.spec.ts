import { expect } from 'chai';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { IFileSystem } from '../../../src/storage/file-system';
import { parseJournal } from '../../../src/domain/workflow/journal-entry';
import { FAST_RESILIENCE, SERVICE_TOKENS } from '../../support/coordination';
import { collectionChanges, recordingFileSystem, type FileSystemCall } from '../../support/file-system-calls';
import { agentWithDependencies } from '../../support/records';
import { misbehave } from '../../support/service-fakes';
import { createTestContainer, type TestContainer } from '../../support/test-container';

const JOURNAL = /^[0-9a-f-]{36}\.jsonl$/;

function journalCalls(calls: readonly FileSystemCall[]): FileSystemCall[] {
  return calls.filter((c) => JOURNAL.test(c.file));
}

/** Where the fdatasyncs of `calls` are: a workflow run as one transaction makes one, of the folder log. */
function syncsOf(calls: readonly FileSystemCall[]): { file: string; at: number }[] {
  return calls.flatMap((c, at) => (c.call === 'datasync' || c.call === 'sync' ? [{ file: c.file, at }] : []));
}

describe('Feature: a workflow journal is stored with the changes it records, made durable by the same fdatasync', function () {
  let env: TestContainer;
  let recording: ReturnType<typeof recordingFileSystem>;

  beforeEach(async function () {
    recording = recordingFileSystem();
    env = await createTestContainer({ overrides: [[IFileSystem, recording.fs]], resilience: FAST_RESILIENCE });
    recording.calls.splice(0);
  });

  afterEach(() => env.dispose());

  it('create-agent: its nine entries are written once, whole, with the three records, after the one fdatasync that makes them all durable', async function () {
    const { workflow: run } = await env.configuration.createAgentWithDependencies(agentWithDependencies('durable'));
    expect(run.status).to.equal('COMPLETED');

    const calls = recording.calls;
    const syncs = syncsOf(calls);
    expect(syncs.map((s) => s.file), 'one fdatasync, of the folder log').to.deep.equal(['commits.log']);
    const durable = syncs[0]?.at as number;
    const changes = collectionChanges(calls);
    expect(new Set(changes.map((c) => c.collection)), 'each record reaches its collection').to.deep.equal(new Set(['personalities.json', 'roles.json', 'agents.json']));
    for (const { collection, at } of changes) expect(at, `${collection} is changed after the fdatasync`).to.be.greaterThan(durable);
    const journal = journalCalls(calls);
    expect(journal.length, 'the journal is written').to.be.greaterThan(0);
    expect(calls.findIndex((c) => JOURNAL.test(c.file)), 'the journal is written after the fdatasync').to.be.greaterThan(durable);

    const text = await readFile(join(env.dataDir, 'workflows', `${run.id}.jsonl`), 'utf8');
    expect(parseJournal(text).entries.map((e) => e.event)).to.deep.equal([
      'workflow.started',
      'workflow.status',
      ...['step.intent', 'step.completed', 'step.intent', 'step.completed', 'step.intent', 'step.completed'],
      'workflow.status',
    ]);
  });

  it('a compensated run: its records made and undone never reach the collections; its journal is stored with one fdatasync', async function () {
    const fake = misbehave(env.container.get(SERVICE_TOKENS.agent) as never, 'create', { kind: 'permanent', code: 'CONFLICT', message: 'the agent store refused' });
    recording = recordingFileSystem();
    const faked = await createTestContainer({ dataDir: env.dataDir, overrides: [[IFileSystem, recording.fs], [SERVICE_TOKENS.agent, fake.service]], resilience: FAST_RESILIENCE });
    recording.calls.splice(0);

    const agentsBefore = await env.configuration.getAllAgents();
    await expect(faked.configuration.createAgentWithDependencies(agentWithDependencies('undone'))).to.be.rejectedWith(/COMPENSATED/);

    // Made and undone inside the run's transaction: the collections are not touched; the journal and audit entries
    // that say so are stored by one fdatasync.
    const calls = recording.calls;
    expect(collectionChanges(calls), 'no collection changed').to.deep.equal([]);
    expect(syncsOf(calls).map((s) => s.file), "the run's one fdatasync, then the failed call's own audit entry").to.deep.equal(['commits.log', 'audit.jsonl']);
    const [id] = (await readdir(join(env.dataDir, 'workflows'))).filter((n) => JOURNAL.test(n));
    const stored = parseJournal(await readFile(join(env.dataDir, 'workflows', id as string), 'utf8')).entries;
    // Every step that began is undone, newest first (the failed one's undo finds nothing of it to remove).
    expect(stored.filter((e) => e.event === 'compensation.completed').map((e) => e.data.stepId), 'undos journaled').to.deep.equal(['agent', 'role', 'personality']);
    expect(stored.at(-1)?.data.status).to.equal('COMPENSATED');
    expect(await faked.configuration.getAllAgents()).to.deep.equal(agentsBefore);
    expect(await faked.configuration.getPersonality('undone-p')).to.equal(null);
  });
});
