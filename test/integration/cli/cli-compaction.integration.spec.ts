import { expect } from 'chai';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Personality } from '../../../src/domain/personality/personality';
import { IFileService } from '../../../src/storage/file/file-service';
import { checksumOf } from '../../../src/domain/canonical-json';
import { validRecords } from '../../support/records';
import { runCliInProcess } from '../../support/run-cli-in-process';
import { createTestContainer, type TestContainer } from '../../support/test-container';

interface PersonalityFile {
  checksum: string;
  personalities: Personality[];
}

describe('Feature: a command leaves the JSON files current, with no change log behind', function () {
  let env: TestContainer;
  let file: string;
  const ada = validRecords().personality as Personality;
  const logNames = async () => (await readdir(join(env.dataDir, 'config'))).filter((name) => name.endsWith('.changes.jsonl'));
  const readFileJson = async () => JSON.parse(await readFile(file, 'utf8')) as PersonalityFile;

  beforeEach(async function () {
    // A collection of 400 records, whose changes are appended to its change log.
    env = await createTestContainer({ compactAfterIdleMs: Infinity });
    file = join(env.dataDir, 'config', 'personalities.json');
    const now = new Date().toISOString();
    const many = Array.from({ length: 400 }, (_, i) => ({ ...ada, id: `bulk-${i}`, name: `Bulk ${i}`, isTemplate: false, version: 1, createdAt: now, updatedAt: now }));
    const files = env.container.get<IFileService>(IFileService);
    await files.transaction(async (tx) => tx.write('personality', [...(await tx.read('personality')).items, ...many] as never[]), { context: env.configuration.issueContext() });
  });

  afterEach(() => env.dispose());

  it('an update by command line is logged, then folded into the file as the command ends, with the changes logged before it', async function () {
    await env.configuration.updatePersonality('bulk-1', { humor: 61 });
    expect(await logNames(), 'a change through the library is appended to the log').to.deep.equal(['personalities.changes.jsonl']);

    const run = await runCliInProcess(['--dir', env.dataDir, 'personality', 'update', 'bulk-2', '--file', '-', '--json'], { stdin: '{"humor":62}' });

    expect(run.code, run.stderr).to.equal(0);
    expect(await logNames(), 'no log is left behind').to.deep.equal([]);
    const written = await readFileJson();
    expect(written.checksum).to.equal(checksumOf(written.personalities));
    expect(written.personalities.find((p) => p.id === 'bulk-1')?.humor, 'the change logged by another process').to.equal(61);
    expect(written.personalities.find((p) => p.id === 'bulk-2')?.humor, "the command's own change").to.equal(62);
  });

  it('a command that only looks (verify) leaves the folder as it is, log included', async function () {
    await env.configuration.updatePersonality('bulk-1', { humor: 63 });
    const before = await readFile(join(env.dataDir, 'config', 'personalities.changes.jsonl'), 'utf8');

    const run = await runCliInProcess(['--dir', env.dataDir, 'verify', '--json']);

    expect(run.code, run.stderr).to.equal(0);
    expect(await readFile(join(env.dataDir, 'config', 'personalities.changes.jsonl'), 'utf8')).to.equal(before);
  });

  it("the library's close() leaves the JSON files alone holding the records; close({ compact: false }) leaves the folder as it is", async function () {
    await env.configuration.updatePersonality('bulk-1', { humor: 64 });
    await env.configuration.createPersonality({ ...ada, id: 'closing' });
    const logBefore = await readFile(join(env.dataDir, 'config', 'personalities.changes.jsonl'), 'utf8');
    const fileBefore = await readFile(file, 'utf8');

    await env.configuration.close({ compact: false });
    expect(await readFile(join(env.dataDir, 'config', 'personalities.changes.jsonl'), 'utf8'), 'the log as it was').to.equal(logBefore);
    expect(await readFile(file, 'utf8'), 'the file as it was').to.equal(fileBefore);

    await env.configuration.close();
    expect(await logNames(), 'no log is left behind').to.deep.equal([]);
    const written = await readFileJson();
    expect(written.checksum).to.equal(checksumOf(written.personalities));
    expect(written.personalities.find((p) => p.id === 'bulk-1')?.humor).to.equal(64);
    expect(written.personalities.some((p) => p.id === 'closing')).to.equal(true);
  });
});
