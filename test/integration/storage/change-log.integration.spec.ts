import { expect } from 'chai';
import { appendFile, copyFile, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { AgentcfgError } from '../../../src/domain/errors/agentcfg-error';
import type { Personality } from '../../../src/domain/personality/personality';
import { checksumOf } from '../../../src/domain/canonical-json';
import { createContainer } from '../../../src/di/container';
import { IConfigurationService } from '../../../src/services/configuration/configuration-service';
import { IFileService } from '../../../src/storage/file/file-service';
import type { JsonFileService } from '../../../src/storage/file/json-file-service';
import { IFileSystem, nodeFileSystem } from '../../../src/storage/file-system';
import { hashConfigFiles } from '../../support/disk';
import { recordingFileSystem } from '../../support/file-system-calls';
import { validRecords } from '../../support/records';
import { seededRandom } from '../../support/seeded-random';
import { waitUntil } from '../../support/timing';
import { createTestContainer, type TestContainer } from '../../support/test-container';

interface PersonalityFile {
  revision: number;
  checksum: string;
  personalities: Personality[];
}

/**
 * Every change of a collection goes to its change log (the file is "large" from its first byte), and stays there
 * until 64 changes fold it: these cases look at the log, so no background compaction may fold it under them.
 */
const LOG_EVERY_CHANGE = { appendAboveBytes: 0, compactAfterIdleMs: Infinity };

const ada = validRecords().personality as Personality;

/** A fresh data folder with these storage settings and ada created: the personalities file, its log, the container. */
async function folderWithAda(storage: { appendAboveBytes: number; compactAfterIdleMs: number }): Promise<{ env: TestContainer; file: string; log: string }> {
  const env = await createTestContainer(storage);
  await env.configuration.createPersonality(ada);
  return { env, file: join(env.dataDir, 'config', 'personalities.json'), log: join(env.dataDir, 'config', 'personalities.changes.jsonl') };
}

const readPersonalityFile = async (file: string) => JSON.parse(await readFile(file, 'utf8')) as PersonalityFile;

describe('Feature: a large collection takes its changes as appends to a change log, folded into the file in batches', function () {
  let env: TestContainer;
  let file: string;
  let log: string;

  const readFileJson = () => readPersonalityFile(file);
  const logLines = async () => (await readFile(log, 'utf8')).split('\n').filter((l) => l !== '');
  /** A second container on the folder, logging changes too: what another process would read and write. */
  const elsewhere = () => createTestContainer({ ...LOG_EVERY_CHANGE, dataDir: env.dataDir });
  /**
   * The folder log written out (its changes synced in the files, the change log kept), as a process that checkpointed
   * and was then killed leaves it: damage done to the files after that is met by the files' own repairs.
   */
  const checkpointed = () => env.container.get<JsonFileService>(IFileService).checkpoint();

  beforeEach(async function () {
    ({ env, file, log } = await folderWithAda(LOG_EVERY_CHANGE));
  });

  afterEach(() => env.dispose());

  it('an update is one line appended to the change log, made durable by one fdatasync; the file is left as it was; another process reads the change', async function () {
    const recording = recordingFileSystem();
    const recorded = await createTestContainer({ ...LOG_EVERY_CHANGE, dataDir: env.dataDir, overrides: [[IFileSystem, recording.fs]] });
    const fileBefore = await readFile(file, 'utf8');
    recording.calls.splice(0);

    await recorded.configuration.updatePersonality(ada.id, { humor: 11 });

    const data = recording.calls.filter((c) => c.file.startsWith('personalities.'));
    expect(data.filter((c) => c.file !== 'personalities.history.jsonl')).to.deep.equal([{ call: 'write', file: 'personalities.changes.jsonl', lines: 1 }]);
    expect(recording.calls.filter((c) => c.call === 'datasync' || c.call === 'sync'), 'one fdatasync, of the folder log').to.deep.equal([{ call: 'datasync', file: 'commits.log' }]);
    expect(await readFile(file, 'utf8'), 'the file is not rewritten').to.equal(fileBefore);
    expect((await (await elsewhere()).configuration.getPersonality(ada.id))?.humor).to.equal(11);
  });

  it('after 64 changes the log is folded into the file, which then holds every change; verify is clean', async function () {
    for (let i = 0; i < 70; i++) await env.configuration.updatePersonality(ada.id, { humor: i });
    const written = await readFileJson();
    expect(written.checksum).to.equal(checksumOf(written.personalities));
    expect((await logLines()).length, 'changes since the fold').to.be.below(64);
    expect(written.revision, 'the file was written whole again after its first changes').to.be.above(64);
    expect(written.personalities.find((p) => p.id === ada.id)?.humor, 'and holds them').to.be.at.least(60);
    const other = await elsewhere();
    expect(await other.configuration.getAllPersonalities()).to.deep.equal(await env.configuration.getAllPersonalities());
    expect((await other.configuration.getPersonality(ada.id))?.humor).to.equal(69);
    expect((await other.configuration.verify()).findings).to.deep.equal([]);
  });

  it('a change of more than 64 records at once is written as the whole file, not as one huge line', async function () {
    const files = env.container.get<IFileService>(IFileService);
    const many = Array.from({ length: 65 }, (_, i) => ({ ...ada, id: `bulk-${i}`, name: `Bulk ${i}`, isTemplate: false, version: 1, createdAt: ada.createdAt ?? new Date().toISOString(), updatedAt: new Date().toISOString() }));
    await files.transaction(async (tx) => tx.write('personality', [...(await tx.read('personality')).items, ...many] as never[]), { context: env.configuration.issueContext() });
    expect((await readFileJson()).personalities.filter((p) => p.id.startsWith('bulk-'))).to.have.length(65);
    expect((await readdir(join(env.dataDir, 'config'))).includes('personalities.changes.jsonl'), 'the log is folded in').to.equal(false);
    await env.configuration.updatePersonality('bulk-1', { humor: 3 });
    expect((await logLines()).length, 'the next single change is appended again').to.equal(1);
  });

  it('another process catches up by reading the log, not the whole file again', async function () {
    const recording = recordingFileSystem();
    const reader = await createTestContainer({ dataDir: env.dataDir, overrides: [[IFileSystem, recording.fs]] });
    await reader.configuration.getAllPersonalities();
    recording.calls.splice(0);
    const opened: string[] = [];
    const open = recording.fs.open;
    recording.fs.open = async (path, flags, mode) => (opened.push(path.split('/').at(-1) as string), open(path, flags, mode));

    await env.configuration.updatePersonality(ada.id, { humor: 12 });
    expect((await reader.configuration.getPersonality(ada.id))?.humor).to.equal(12);
    expect(opened).to.deep.equal(['personalities.changes.jsonl']);
  });

  it('a read racing a compaction in another process (file replaced, then log removed) still holds every logged change', async function () {
    await env.configuration.updatePersonality(ada.id, { humor: 18 });
    let compactFirst = false;
    const racing: IFileSystem = {
      ...nodeFileSystem,
      // The other process compacts just as this one opens the log: the worst moment for a reader.
      open: async (path, flags, mode) => {
        if (compactFirst && path === log) {
          compactFirst = false;
          expect(await env.configuration.compact()).to.deep.equal(['personality']);
        }
        return nodeFileSystem.open(path, flags, mode);
      },
    };
    // Not initialised: its first read of the collection is the one that races.
    const reader = createContainer({ ...LOG_EVERY_CHANGE, dataDir: env.dataDir });
    reader.rebind(IFileSystem).toConstantValue(racing);
    await env.configuration.updatePersonality(ada.id, { humor: 19 });
    compactFirst = true;

    expect((await reader.get<IConfigurationService>(IConfigurationService).getPersonality(ada.id))?.humor).to.equal(19);
    expect(compactFirst, 'the compaction ran mid-read').to.equal(false);
  });

  it('a torn last line (an append a crash cut short) is left out, and cut off by the next append', async function () {
    await env.configuration.updatePersonality(ada.id, { humor: 13 });
    const whole = await readFile(log, 'utf8');
    await appendFile(log, whole.slice(0, Math.floor(whole.length / 2)).replace(/\n/g, ''));
    const other = await elsewhere();
    expect((await other.configuration.getPersonality(ada.id))?.humor).to.equal(13);
    await other.configuration.updatePersonality(ada.id, { humor: 14 });
    expect(await readFile(log, 'utf8')).to.match(/\n$/);
    expect((await logLines()).every((line) => JSON.parse(line) !== null)).to.equal(true);
    expect((await (await elsewhere()).configuration.getPersonality(ada.id))?.humor).to.equal(14);
  });

  it('a damaged line with changes after it is INTEGRITY_ERROR naming the log and the line; nothing is changed', async function () {
    await env.configuration.updatePersonality(ada.id, { humor: 15 });
    await env.configuration.updatePersonality(ada.id, { humor: 16 });
    const lines = await logLines();
    lines[0] = (lines[0] as string).replace(/"humor":\d+/, '"humor":99');
    await writeFile(log, `${lines.join('\n')}\n`);
    const before = await hashConfigFiles(env.dataDir);

    const error = (await elsewhere()
      .then((other) => other.configuration.getAllPersonalities())
      .catch((e: AgentcfgError) => e)) as AgentcfgError;
    expect(error.code).to.equal('INTEGRITY_ERROR');
    expect(error.message).to.include('personalities.changes.jsonl line 1');
    expect(await hashConfigFiles(env.dataDir)).to.deep.equal(before);
  });

  it('a hand edit of the file is accepted, with the changes logged after it on top; the file is re-stamped and the log folded', async function () {
    await env.configuration.updatePersonality(ada.id, { humor: 17 });
    const edited = await readFileJson();
    const template = edited.personalities[0] as Personality;
    expect(edited.personalities.some((p) => p.id === ada.id), 'ada is still only in the log').to.equal(false);
    template.name = 'Edited by hand';
    await writeFile(file, JSON.stringify(edited, null, 2));

    const other = await elsewhere();
    expect((await other.configuration.getPersonality(template.id))?.name).to.equal('Edited by hand');
    expect((await other.configuration.getPersonality(ada.id))?.humor, 'the logged changes hold').to.equal(17);
    const stamped = await readFileJson();
    expect(stamped.checksum).to.equal(checksumOf(stamped.personalities));
    expect(stamped.personalities.find((p) => p.id === ada.id)?.humor, 'the file now holds them').to.equal(17);
    expect((await readdir(join(env.dataDir, 'config'))).includes('personalities.changes.jsonl'), 'the log is folded in').to.equal(false);
  });

  it('a corrupt file is restored from its backup, and the log that continued it is set aside', async function () {
    for (let i = 0; i < 65; i++) await env.configuration.updatePersonality(ada.id, { humor: i }); // a fold: a .bak exists
    await env.configuration.updatePersonality(ada.id, { humor: 88 });
    await checkpointed();
    const backup = JSON.parse(await readFile(`${file}.bak`, 'utf8')) as PersonalityFile;
    await writeFile(file, '{ not json');

    const other = await elsewhere();
    expect(await other.configuration.getAllPersonalities()).to.deep.equal(backup.personalities);
    const names = await readdir(join(env.dataDir, 'config'));
    expect(names.filter((n) => n.startsWith('personalities.changes.jsonl.set-aside-'))).to.have.length(1);
    expect(names.filter((n) => n.startsWith('personalities.json.corrupt-'))).to.have.length(1);
  });

  it('a file replaced by an older one: the changes that do not continue it are set aside, and the file is served', async function () {
    for (let i = 0; i < 65; i++) await env.configuration.updatePersonality(ada.id, { humor: i });
    await env.configuration.updatePersonality(ada.id, { humor: 77 });
    await checkpointed();
    await copyFile(`${file}.bak`, file);
    const older = await readFileJson();

    const other = await elsewhere();
    expect(await other.configuration.getAllPersonalities()).to.deep.equal(older.personalities);
    expect((await readdir(join(env.dataDir, 'config'))).filter((n) => n.startsWith('personalities.changes.jsonl.set-aside-'))).to.have.length(1);
  });

  it('any sequence of creates, updates and deletes reads back the same from a fresh container, in the same order', async function () {
    const random = seededRandom(7);
    const ids: string[] = [ada.id];
    for (let step = 0; step < 120; step++) {
      const roll = random();
      if (roll < 0.3 || ids.length === 0) {
        const id = `p-${step}`;
        await env.configuration.createPersonality({ ...ada, id, name: `P ${step}` });
        ids.push(id);
      } else if (roll < 0.8) {
        await env.configuration.updatePersonality(ids[Math.floor(random() * ids.length)] as string, { humor: step % 101 });
      } else {
        const [id] = ids.splice(Math.floor(random() * ids.length), 1);
        await env.configuration.deletePersonality(id as string);
      }
      if (step % 10 === 9) expect(await (await elsewhere()).configuration.getAllPersonalities(), `after step ${step}`).to.deep.equal(await env.configuration.getAllPersonalities());
    }
  });
});

describe('Feature: the change logs are compacted into the JSON files on a clean shutdown and when the folder is idle', function () {
  let env: TestContainer;
  let file: string;
  let log: string;

  const readFileJson = () => readPersonalityFile(file);
  const logExists = async () => (await readdir(join(env.dataDir, 'config'))).includes('personalities.changes.jsonl');
  /** Waits until the log is gone, up to `ms`; says whether it went. */
  const logGoneWithin = (ms: number) => waitUntil(async () => !(await logExists()), ms);

  async function logging(compactAfterIdleMs: number): Promise<void> {
    ({ env, file, log } = await folderWithAda({ appendAboveBytes: 0, compactAfterIdleMs }));
  }

  afterEach(() => env.dispose());

  it('compact() writes each logged collection whole at the revision of its last change and removes the log; the file alone then reads the same', async function () {
    await logging(Infinity);
    await env.configuration.updatePersonality(ada.id, { humor: 21 });
    const agent = await env.configuration.createAgent({ ...validRecords().agent, personalityId: ada.id, roleId: 'critic' });
    await env.configuration.updateAgent(agent.id, { name: 'Renamed in the log' });
    const lastLogged = JSON.parse(((await readFile(log, 'utf8')).trim().split('\n').at(-1) as string)) as { revision: number };
    expect((await readFileJson()).personalities.some((p) => p.id === ada.id), 'before: the file lags its log').to.equal(false);
    const records = await env.configuration.getAllPersonalities();

    expect([...(await env.configuration.compact())].sort()).to.deep.equal(['agent', 'personality']);

    expect(await logExists()).to.equal(false);
    const written = await readFileJson();
    expect(written.revision).to.equal(lastLogged.revision);
    expect(written.checksum).to.equal(checksumOf(written.personalities));
    expect(written.personalities).to.deep.equal(records);
    expect(written.personalities.find((p) => p.id === ada.id)?.humor).to.equal(21);
    const other = await createTestContainer({ dataDir: env.dataDir });
    expect(await other.configuration.getAllPersonalities()).to.deep.equal(records);
    expect((await other.configuration.verify()).findings).to.deep.equal([]);
  });

  it('compact() with nothing logged writes nothing', async function () {
    await logging(Infinity);
    await env.configuration.compact();
    const before = await hashConfigFiles(env.dataDir);
    const recording = recordingFileSystem();
    const other = await createTestContainer({ dataDir: env.dataDir, overrides: [[IFileSystem, recording.fs]] });
    recording.calls.splice(0);

    expect(await other.configuration.compact()).to.deep.equal([]);
    expect(recording.calls, 'no write, sync or rename').to.deep.equal([]);
    expect(await hashConfigFiles(env.dataDir)).to.deep.equal(before);
  });

  it('a folder left idle has its logs compacted in the background; a change logged meanwhile puts it off', async function () {
    await logging(400);
    await env.configuration.updatePersonality(ada.id, { humor: 31 });
    await new Promise((resolve) => setTimeout(resolve, 150));
    await env.configuration.updatePersonality(ada.id, { humor: 32 });
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(await logExists(), '300 ms after the first change, 150 ms after the second: not idle long enough').to.equal(true);

    expect(await logGoneWithin(3000), 'compacted once idle').to.equal(true);
    expect((await readFileJson()).personalities.find((p) => p.id === ada.id)?.humor).to.equal(32);
  });

  it('with compactAfterIdleMs Infinity nothing is compacted in the background', async function () {
    await logging(Infinity);
    await env.configuration.updatePersonality(ada.id, { humor: 41 });
    expect(await logGoneWithin(300)).to.equal(false);
  });
});
