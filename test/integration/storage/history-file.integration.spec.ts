import { expect } from 'chai';
import { readFile, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { HISTORY_LIMIT } from '../../../src/storage/file/file-service';
import { validRecords } from '../../support/records';
import { createTestContainer, type TestContainer } from '../../support/test-container';

const HISTORY = 'personalities.history.jsonl';

/** The versions the history file at `path` holds, in file order. */
async function versionsIn(path: string): Promise<number[]> {
  const text = await readFile(path, 'utf8');
  return text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => (JSON.parse(line) as { version: number }).version);
}

describe('Feature: a record history is appended version by version, and always follows the path', function () {
  let env: TestContainer;
  let historyPath: string;
  const { personality } = validRecords();

  beforeEach(async function () {
    env = await createTestContainer();
    historyPath = join(env.dataDir, 'config', HISTORY);
    await env.configuration.createPersonality({ ...personality, id: 'kept' });
  });

  afterEach(async function () {
    await env.dispose();
  });

  async function update(times: number): Promise<void> {
    for (let i = 0; i < times; i++) await env.configuration.updatePersonality('kept', { humor: i % 101 });
  }

  it('ten updates in a row append one version each', async function () {
    await update(10);
    expect(await versionsIn(historyPath)).to.deep.equal([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });

  it('a history file moved away between updates is left as it was; the next version starts a new file at the path', async function () {
    await update(2);
    await rename(historyPath, `${historyPath}.moved`);
    await update(1);
    expect(await versionsIn(`${historyPath}.moved`), 'the moved file, not written past').to.deep.equal([1, 2]);
    expect(await versionsIn(historyPath)).to.deep.equal([3]);
    expect((await env.configuration.getPersonality('kept'))?.version).to.equal(4);
  });

  it(`past ${HISTORY_LIMIT} versions the file is rewritten with the newest, and the next update appends to the rewritten file`, async function () {
    await update(HISTORY_LIMIT + 5);
    const newest = (from: number) => Array.from({ length: HISTORY_LIMIT }, (_, i) => from + i);
    expect(await versionsIn(historyPath)).to.deep.equal(newest(6));
    await update(1);
    expect(await versionsIn(historyPath)).to.deep.equal(newest(7));
  });
});
