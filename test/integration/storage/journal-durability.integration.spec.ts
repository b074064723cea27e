import { expect } from 'chai';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { IFileSystem } from '../../../src/storage/file-system';
import { parseJournal } from '../../../src/domain/workflow/journal-entry';
import { FAST_RESILIENCE, SERVICE_TOKENS } from '../../support/coordination';
import { recordingFileSystem, type FileSystemCall } from '../../support/file-system-calls';
import { agentWithDependencies } from '../../support/records';
import { misbehave } from '../../support/service-fakes';
import { createTestContainer, type TestContainer } from '../../support/test-container';

const JOURNAL = /^[0-9a-f-]{36}\.jsonl$/;
const COLLECTIONS = new Set(['personalities.json', 'roles.json', 'agents.json']);

function journalCalls(calls: readonly FileSystemCall[]): FileSystemCall[] {
  return calls.filter((c) => JOURNAL.test(c.file));
}

/**
 * Whether every line the journal had written when `index` came was already fdatasync'd: what the journal says
 * happened is on disk before the change it leads to, or before the run returns.
 */
function journalSyncedBefore(calls: readonly FileSystemCall[], index: number): boolean {
  return journalCalls(calls.slice(0, index)).at(-1)?.call === 'datasync';
}

function collectionReplaces(calls: readonly FileSystemCall[]): number[] {
  return calls.flatMap((c, index) => (c.call === 'rename' && COLLECTIONS.has(c.file) ? [index] : []));
}

describe('Feature: a workflow journal is durable before each change it leads to, at one fdatasync per change', function () {
  let env: TestContainer;
  let recording: ReturnType<typeof recordingFileSystem>;

  beforeEach(async function () {
    recording = recordingFileSystem();
    env = await createTestContainer({ overrides: [[IFileSystem, recording.fs]], resilience: FAST_RESILIENCE });
    recording.calls.splice(0);
  });

  afterEach(() => env.dispose());

  it('create-agent: nine entries, four fdatasyncs, each before the collection the next step replaces and before the run returns', async function () {
    const { workflow: run } = await env.configuration.createAgentWithDependencies(agentWithDependencies('durable'));
    expect(run.status).to.equal('COMPLETED');

    const calls = recording.calls;
    const journal = journalCalls(calls);
    expect(journal.filter((c) => c.call === 'write').map((c) => c.lines), 'one line per entry').to.deep.equal([1, 1, 1, 1, 1, 1, 1, 1, 1]);
    expect(journal.filter((c) => c.call === 'datasync'), 'fdatasyncs: the first intent, the two intents after a step, the end').to.have.length(4);
    const replaces = collectionReplaces(calls);
    expect(replaces, 'one replace per step').to.have.length(3);
    for (const index of replaces) expect(journalSyncedBefore(calls, index), `journal synced before ${calls[index]?.file} is replaced`).to.equal(true);
    expect(journal.at(-1)?.call, 'the journal is synced after its last line').to.equal('datasync');

    const text = await readFile(join(env.dataDir, 'workflows', `${run.id}.jsonl`), 'utf8');
    expect(parseJournal(text).entries.map((e) => e.event)).to.deep.equal([
      'workflow.started',
      'workflow.status',
      ...['step.intent', 'step.completed', 'step.intent', 'step.completed', 'step.intent', 'step.completed'],
      'workflow.status',
    ]);
  });

  it('a compensated run: every undo is made with the journal synced, and the journal is synced when the run returns', async function () {
    const fake = misbehave(env.container.get(SERVICE_TOKENS.agent) as never, 'create', { kind: 'permanent', code: 'CONFLICT', message: 'the agent store refused' });
    recording = recordingFileSystem();
    const faked = await createTestContainer({ dataDir: env.dataDir, overrides: [[IFileSystem, recording.fs], [SERVICE_TOKENS.agent, fake.service]], resilience: FAST_RESILIENCE });
    recording.calls.splice(0);

    const agentsBefore = await env.configuration.getAllAgents();
    await expect(faked.configuration.createAgentWithDependencies(agentWithDependencies('undone'))).to.be.rejectedWith(/COMPENSATED/);

    const calls = recording.calls;
    const replaces = collectionReplaces(calls);
    expect(replaces, 'two creates and their two undos').to.have.length(4);
    for (const index of replaces) expect(journalSyncedBefore(calls, index), `journal synced before ${calls[index]?.file} is replaced`).to.equal(true);
    expect(journalCalls(calls).at(-1)?.call, 'the journal is synced after its last line').to.equal('datasync');
    expect(await faked.configuration.getAllAgents()).to.deep.equal(agentsBefore);
    expect(await faked.configuration.getPersonality('undone-p')).to.equal(null);
  });
});
