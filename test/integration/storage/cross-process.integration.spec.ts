import { expect } from 'chai';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { decodeCollection } from '../../../src/storage/collection-file';
import { COLLECTION_SPECS } from '../../../src/storage/collection-specs';
import { validRecords } from '../../support/records';
import { startWorker, waitForExit, waitForLine } from '../../support/run-worker';
import { createTestContainer, type TestContainer } from '../../support/test-container';
import { timedStep } from '../../support/timing';

describe('Feature: several processes share one data folder without losing writes', function () {
  let env: TestContainer;

  beforeEach(async function () {
    env = await createTestContainer();
    const { customInstructions: _, ...personality } = validRecords().personality;
    await env.configuration.createPersonality(personality); // customInstructions will log every update
  });

  afterEach(() => env.dispose());

  it('two OS processes each applying 200 updates end at version 401 with every update present', async function () {
    this.timeout(180_000);
    const [a, b] = await timedStep(this, '2 x 200 concurrent updates', () =>
      Promise.all([waitForExit(startWorker('update-worker', [env.dataDir, 'ada', 'a', '200'])), waitForExit(startWorker('update-worker', [env.dataDir, 'ada', 'b', '200']))]),
    );
    expect(a.code, a.stderr).to.equal(0);
    expect(b.code, b.stderr).to.equal(0);

    const final = await env.configuration.getPersonality('ada');
    expect(final?.version).to.equal(401);
    const tags = (final?.customInstructions ?? '').split(',');
    expect(tags).to.have.length(400);
    for (const worker of ['a', 'b']) {
      const own = tags.filter((t) => t.startsWith(worker)).map((t) => Number(t.slice(1)));
      expect(own, `updates of worker ${worker} in order`).to.deep.equal(Array.from({ length: 200 }, (_, i) => i + 1));
    }

    // Both processes appended to one audit chain: it verifies, and records each of the 400 updates once, in order.
    expect(await env.configuration.verifyAudit()).to.include({ ok: true });
    const updates = (await env.configuration.auditEntries({ target: 'personality:ada' })).filter((e) => e.action === 'personality.update' && e.outcome === 'ok');
    expect(updates.map((e) => e.versionAfter)).to.deep.equal(Array.from({ length: 400 }, (_, i) => i + 2));
    updates.slice(1).forEach((entry, i) => expect(entry.digestBefore, `update to v${entry.versionAfter ?? '?'}`).to.equal(updates[i]?.digestAfter));
  });

  it('a process killed between the temp write and the rename leaves the old file intact and loadable; opening the folder finishes the update it had logged', async function () {
    const file = join(env.dataDir, 'config', 'personalities.json');
    const before = await readFile(file, 'utf8');
    const child = startWorker('paused-writer', [env.dataDir, 'ada']);
    const exited = waitForExit(child);
    const paused = await waitForLine(child, 'PAUSED ');
    const tempPath = paused.slice('PAUSED '.length);
    expect((await stat(tempPath)).size, 'the temp file was written').to.be.greaterThan(0);
    child.kill('SIGKILL');
    expect((await exited).signal).to.equal('SIGKILL');

    expect(await readFile(file, 'utf8')).to.equal(before);
    expect(decodeCollection(before, COLLECTION_SPECS.personality).status).to.equal('ok');
    // The update was durable in the folder log before any file changed (its commit point): it is the whole update
    // the folder holds once opened again, not a part of it.
    const reopened = await createTestContainer({ dataDir: env.dataDir });
    expect((await reopened.configuration.getPersonality('ada'))?.name).to.equal('Never written');
    expect((await reopened.configuration.verify()).findings).to.deep.equal([]);
    expect(await readdir(join(env.dataDir, 'config'))).to.not.include(tempPath.split('/').pop());
  });
});
