import { expect } from 'chai';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Personality } from '../../../src/domain/personality/personality';
import { checksumOf } from '../../../src/domain/canonical-json';
import { IFileSystem, nodeFileSystem } from '../../../src/storage/file-system';
import { validRecords } from '../../support/records';
import { createTestContainer, type TestContainer } from '../../support/test-container';
import { waitUntil } from '../../support/timing';

interface PersonalityFile {
  revision: number;
  checksum: string;
  personalities: Personality[];
}

const ada = validRecords().personality as Personality;

/**
 * The real file system, except that once armed, the first open of a file whose name matches waits until the test
 * lets it go: a compaction held in the middle of writing its file, so a test can act while it is there.
 */
function holdingFirstOpen(matches: (path: string) => boolean): { fs: IFileSystem; arm: () => void; reached: Promise<void>; release: () => void } {
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  let reach!: () => void;
  const reached = new Promise<void>((resolve) => (reach = resolve));
  let armed = false;
  let held = false;
  const fs: IFileSystem = {
    ...nodeFileSystem,
    open: async (path, flags, mode) => {
      if (armed && !held && matches(path)) {
        held = true;
        reach();
        await released;
      }
      return nodeFileSystem.open(path, flags, mode);
    },
  };
  return { fs, arm: () => (armed = true), reached, release };
}

/** Settles with `work`, or fails naming `what` if it takes longer than `ms`. */
async function within<T>(ms: number, what: string, work: Promise<T>): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([work, late]);
  } finally {
    clearTimeout(timer);
  }
}

const isPersonalitiesTemp = (path: string) => /\/\.personalities\.json\.tmp-/.test(path);

describe('Feature: a compaction writes the files while writers go on', function () {
  this.timeout(20_000);
  let env: TestContainer;
  let held: ReturnType<typeof holdingFirstOpen>;
  let file: string;
  let log: string;

  const readFileJson = async () => JSON.parse(await readFile(file, 'utf8')) as PersonalityFile;
  const logRevisions = async () =>
    (await readFile(log, 'utf8').catch(() => ''))
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => (JSON.parse(l) as { revision: number }).revision);
  const configNames = async () => readdir(join(env.dataDir, 'config'));
  /** The folder read afresh, as another process would: ada's humor, and whether verify is clean. */
  const readElsewhere = async () => {
    const other = await createTestContainer({ dataDir: env.dataDir, compactAfterIdleMs: Infinity });
    return { humor: (await other.configuration.getPersonality(ada.id))?.humor, findings: (await other.configuration.verify()).findings };
  };

  /** Every change logged (the file is "large" from its first byte); idle compaction only as `compactAfterIdleMs` says. */
  async function folder(compactAfterIdleMs: number): Promise<void> {
    held = holdingFirstOpen(isPersonalitiesTemp);
    env = await createTestContainer({ appendAboveBytes: 0, compactAfterIdleMs, overrides: [[IFileSystem, held.fs]] });
    file = join(env.dataDir, 'config', 'personalities.json');
    log = join(env.dataDir, 'config', 'personalities.changes.jsonl');
    await env.configuration.createPersonality(ada);
    held.arm();
  }

  afterEach(async () => {
    held?.release();
    // A compaction asked for now starts after any still running, so none writes into the folder as it goes.
    await env?.configuration.compact().catch(() => undefined);
    await env?.dispose();
  });

  it('a change made while a compaction writes the file is not held up, and is kept in the log after the revision the file now holds', async function () {
    await folder(Infinity);
    await env.configuration.updatePersonality(ada.id, { humor: 12 });
    const compactedRevision = (await logRevisions()).at(-1) as number;

    const compaction = env.configuration.compact();
    await within(5000, 'the compaction reaching its file', held.reached);
    await within(5000, 'an update while the compaction writes', env.configuration.updatePersonality(ada.id, { humor: 13 }));
    held.release();

    expect(await compaction).to.deep.equal(['personality']);
    const written = await readFileJson();
    expect(written.revision, 'the file holds what was logged when the compaction began').to.equal(compactedRevision);
    expect(written.checksum).to.equal(checksumOf(written.personalities));
    expect(written.personalities.find((p) => p.id === ada.id)?.humor).to.equal(12);
    expect(await logRevisions(), 'only the change made meanwhile is left in the log').to.deep.equal([compactedRevision + 1]);
    expect(await readElsewhere()).to.deep.equal({ humor: 13, findings: [] });
    expect((await configNames()).filter((n) => n.includes('.tmp-')), 'no staged file left behind').to.deep.equal([]);

    expect(await env.configuration.compact()).to.deep.equal(['personality']);
    expect((await configNames()).includes('personalities.changes.jsonl')).to.equal(false);
    expect((await readFileJson()).personalities.find((p) => p.id === ada.id)?.humor).to.equal(13);
  });

  it('a compaction whose file another process compacted meanwhile puts nothing in place and leaves no staged file', async function () {
    await folder(Infinity);
    await env.configuration.updatePersonality(ada.id, { humor: 22 });

    const compaction = env.configuration.compact();
    await within(5000, 'the compaction reaching its file', held.reached);
    const other = await createTestContainer({ appendAboveBytes: 0, compactAfterIdleMs: Infinity, dataDir: env.dataDir });
    await other.configuration.updatePersonality(ada.id, { humor: 23 });
    expect(await other.configuration.compact()).to.deep.equal(['personality']);
    const theirs = await readFile(file, 'utf8');
    held.release();

    expect(await compaction, 'the file it planned from was replaced').to.deep.equal([]);
    expect(await readFile(file, 'utf8'), "the other process's file stays").to.equal(theirs);
    expect((await configNames()).filter((n) => n.includes('.tmp-'))).to.deep.equal([]);
    expect(await env.configuration.getPersonality(ada.id)).to.have.property('humor', 23);
    expect(await readElsewhere()).to.deep.equal({ humor: 23, findings: [] });
  });

  it('a log due to be folded is folded in the background, the write that found it due appending as usual', async function () {
    // Idle compaction on, but never idle long enough in this test: what folds is the log coming due.
    await folder(60_000);
    while ((await logRevisions()).length < 64) await env.configuration.updatePersonality(ada.id, { humor: (await logRevisions()).length });
    expect((await logRevisions()).length, 'not yet due').to.equal(64);
    const fileBefore = await readFile(file, 'utf8');

    await within(5000, 'the write that finds the log due', env.configuration.updatePersonality(ada.id, { humor: 64 }));
    await within(5000, 'the background compaction reaching its file', held.reached);
    expect(await readFile(file, 'utf8'), 'the write itself did not write the file').to.equal(fileBefore);
    await within(5000, 'a write while the fold is held', env.configuration.updatePersonality(ada.id, { humor: 65 }));
    held.release();

    await waitUntil(async () => (await logRevisions()).length <= 1, 5000);
    const written = await readFileJson();
    expect(await logRevisions(), 'the log keeps only the write made during the fold').to.deep.equal([written.revision + 1]);
    expect(written.personalities.find((p) => p.id === ada.id)?.humor).to.equal(64);
    expect(await readElsewhere()).to.deep.equal({ humor: 65, findings: [] });
  });

  it('a log whose background fold cannot finish is folded by a write once it is four times due', async function () {
    await folder(60_000);
    while ((await logRevisions()).length <= 64) await env.configuration.updatePersonality(ada.id, { humor: (await logRevisions()).length % 100 });
    await within(5000, 'the background compaction reaching its file', held.reached);
    // The compaction stays held: the log grows until a write folds it itself.
    while ((await logRevisions()).length < 4 * 64) await env.configuration.updatePersonality(ada.id, { humor: (await logRevisions()).length % 100 });
    expect((await logRevisions()).length, 'appended up to four times due').to.equal(4 * 64);
    await env.configuration.updatePersonality(ada.id, { humor: 100 });

    expect((await configNames()).includes('personalities.changes.jsonl'), 'folded by the write').to.equal(false);
    const foldedText = await readFile(file, 'utf8');
    expect((JSON.parse(foldedText) as PersonalityFile).personalities.find((p) => p.id === ada.id)?.humor).to.equal(100);

    held.release();
    expect(await env.configuration.compact(), 'after the held compaction: nothing left to compact').to.deep.equal([]);
    expect(await readFile(file, 'utf8'), 'the held compaction found the file replaced and did not put its older one in place').to.equal(foldedText);
    expect((await configNames()).filter((n) => n.includes('.tmp-'))).to.deep.equal([]);
    expect(await readElsewhere()).to.deep.equal({ humor: 100, findings: [] });
  });
});
