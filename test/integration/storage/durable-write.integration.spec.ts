import { expect } from 'chai';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { commitStaged, discardStaged, stageDurably, writeFileDurably } from '../../../src/storage/durable-write';
import { recordingFileSystem } from '../../support/file-system-calls';
import { makeTempDir } from '../../support/test-container';

describe('Feature: a durable replace stages its bytes in a synced temp file, then puts them in place', function () {
  it('a large file is written and flushed a slice at a time, never splitting a character, and reads back exactly', async function () {
    const dir = await makeTempDir();
    const target = join(dir, 'large.json');
    // A surrogate pair (an emoji) straddles the first 1 MiB slice boundary.
    const text = `${'a'.repeat(1024 * 1024 - 1)}\u{1F600}${'b'.repeat(1024 * 1024)}é\n`;
    const { fs, calls } = recordingFileSystem();

    await writeFileDurably(fs, target, text);

    expect(await readFile(target, 'utf8')).to.equal(text);
    const staged = calls.filter((c) => c.file.startsWith('.large.json.tmp-')).map((c) => c.call);
    expect(staged, 'each slice flushed before the next, then the file synced').to.deep.equal(['write', 'datasync', 'write', 'datasync', 'write', 'datasync', 'sync']);
  });

  it('a small file is written in one go', async function () {
    const dir = await makeTempDir();
    const { fs, calls } = recordingFileSystem();
    await writeFileDurably(fs, join(dir, 'small.json'), '{}\n');
    expect(calls.map((c) => c.call)).to.deep.equal(['sync', 'rename']);
  });

  it('staged bytes change nothing until put in place; discarded, they leave nothing behind', async function () {
    const dir = await makeTempDir();
    const { fs } = recordingFileSystem();
    const target = join(dir, 'file.json');
    await writeFileDurably(fs, target, 'old\n');

    const kept = await stageDurably(fs, target, 'new\n');
    expect(await readFile(target, 'utf8'), 'staged, not yet in place').to.equal('old\n');
    await commitStaged(fs, kept, join(dir, 'file.json.bak'));
    expect(await readFile(target, 'utf8')).to.equal('new\n');
    expect(await readFile(join(dir, 'file.json.bak'), 'utf8'), 'the previous file is the backup').to.equal('old\n');

    const dropped = await stageDurably(fs, target, 'never\n');
    await discardStaged(fs, dropped);
    expect(await readFile(target, 'utf8')).to.equal('new\n');
    expect((await readdir(dir)).sort()).to.deep.equal(['file.json', 'file.json.bak']);
  });
});
