import { expect } from 'chai';
import fs from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import sinon from 'sinon';
import { confine } from '../../../src/storage/confined-path';
import { makeTempDir } from '../../support/test-container';

describe('Feature: confining a path to the data folder while other processes add and remove files in it', function () {
  afterEach(() => sinon.restore());

  it('a file removed between its two lookups (another process releasing its lock) counts as absent, not as an error', async function () {
    const dir = await makeTempDir();
    const owner = join(dir, 'config.lock.owner');
    await writeFile(owner, '{"pid":1}');
    const realpath = fs.realpathSync.native;
    // The other process removes the file just after it was seen: the worst moment.
    const racing = sinon.stub(fs.realpathSync, 'native').callsFake(((path: string) => {
      if (path === owner) {
        fs.rmSync(owner);
        throw Object.assign(new Error(`ENOENT: no such file or directory, realpath '${owner}'`), { code: 'ENOENT' });
      }
      return realpath(path);
    }) as typeof fs.realpathSync.native);

    expect(await confine(dir, owner)).to.equal(owner);
    expect(racing.calledWith(owner), 'the race was run').to.equal(true);
  });

  it('a link leading outside is still refused', async function () {
    const dir = await makeTempDir();
    const outside = await makeTempDir();
    fs.symlinkSync(outside, join(dir, 'config'));
    await expect(confine(dir, join(dir, 'config', 'personalities.json'))).to.be.rejectedWith(/leads outside the data folder/);
  });
});
