import { expect } from 'chai';
import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { AgentcfgError } from '../../../src/domain/errors/agentcfg-error';
import { checksumOf } from '../../../src/domain/canonical-json';
import { hashConfigFiles } from '../../support/disk';
import { validRecords } from '../../support/records';
import { runCli } from '../../support/run-cli';
import { createTestContainer, type TestContainer } from '../../support/test-container';

interface PersonalityFile {
  schemaVersion: number;
  revision: number;
  checksum: string;
  personalities: { id: string; name: string; openness: number }[];
}

const corruptions: { name: string; corrupt: (text: string) => string }[] = [
  { name: 'truncated', corrupt: (text) => text.slice(0, Math.floor(text.length / 2)) },
  { name: 'garbage', corrupt: () => '\u0000\u00ff not json at all }{' },
  {
    name: 'schema-invalid',
    corrupt: (text) => {
      const file = JSON.parse(text) as PersonalityFile;
      (file.personalities[0] as { openness: number }).openness = 500;
      return JSON.stringify(file);
    },
  },
  // A pollution key is refused as corruption, whether the file spells it out or writes it with \u escapes; at the
  // top of the file, where no record schema would notice it.
  { name: 'polluted', corrupt: (text) => text.replace('{\n  "schemaVersion"', '{\n  "__proto__": { "polluted": true },\n  "schemaVersion"') },
  { name: 'escaped-pollution', corrupt: (text) => text.replace('{\n  "schemaVersion"', '{\n  "\\u005f_proto__": { "polluted": true },\n  "schemaVersion"') },
];

describe('Feature: collection files survive corruption and accept hand edits', function () {
  let env: TestContainer;
  let file: string;
  let backup: string;

  beforeEach(async function () {
    env = await createTestContainer();
    await env.configuration.createPersonality(validRecords().personality); // second write: a .bak now exists
    // As a process leaves the folder when it ends: the files are damaged while nobody has it open.
    await env.configuration.close();
    file = join(env.dataDir, 'config', 'personalities.json');
    backup = `${file}.bak`;
  });

  afterEach(() => env.dispose());

  for (const { name, corrupt } of corruptions) {
    it(`restores a ${name} file from its backup and keeps the bad file aside`, async function () {
      const backupBefore = JSON.parse(await readFile(backup, 'utf8')) as PersonalityFile;
      const bad = corrupt(await readFile(file, 'utf8'));
      await writeFile(file, bad);

      const run = await runCli(['--dir', env.dataDir, 'personality', 'list', '--json']);
      expect(run.code, run.stderr).to.equal(0);
      const ids = (run.json<{ data: { id: string }[] }>().data).map((p) => p.id);
      expect(ids).to.deep.equal(backupBefore.personalities.map((p) => p.id));

      const aside = (await readdir(join(env.dataDir, 'config'))).filter((n) => n.startsWith('personalities.json.corrupt-'));
      expect(aside).to.have.length(1);
      expect(await readFile(join(env.dataDir, 'config', aside[0] as string), 'utf8')).to.equal(bad);
      expect(run.stderr).to.include(aside[0]).and.to.include('restored the backup');
      const restored = JSON.parse(await readFile(file, 'utf8')) as PersonalityFile;
      expect(restored.checksum).to.equal(checksumOf(restored.personalities));
      const log = await readFile(join(env.dataDir, 'logs', 'agentcfg.log'), 'utf8');
      expect(log).to.include('"movedTo"');
    });

    it(`restores a ${name} file from its backup when the library opens the folder`, async function () {
      const backupItems = (JSON.parse(await readFile(backup, 'utf8')) as PersonalityFile).personalities;
      await writeFile(file, corrupt(await readFile(file, 'utf8')));
      const reopened = await createTestContainer({ dataDir: env.dataDir });
      expect(await reopened.configuration.getAllPersonalities()).to.deep.equal(backupItems);
      await reopened.configuration.createPersonality({ ...validRecords().personality, id: 'after-restore' });
      expect((await reopened.configuration.getAllPersonalities()).map((p) => p.id)).to.include('after-restore');
    });
  }

  it('accepts a valid hand edit whose checksum no longer matches, and re-stamps it', async function () {
    const edited = JSON.parse(await readFile(file, 'utf8')) as PersonalityFile;
    const ada = edited.personalities.find((p) => p.id === 'ada');
    if (!ada) throw new Error('fixture personality missing');
    ada.name = 'Ada (edited by hand)';
    await writeFile(file, JSON.stringify(edited, null, 2));

    const run = await runCli(['--dir', env.dataDir, 'personality', 'get', 'ada', '--json']);
    expect(run.code, run.stderr).to.equal(0);
    expect(run.json<{ data: { name: string } }>().data.name).to.equal('Ada (edited by hand)');
    expect(run.stderr).to.include('edited by hand');
    const stamped = JSON.parse(await readFile(file, 'utf8')) as PersonalityFile;
    expect(stamped.checksum).to.equal(checksumOf(stamped.personalities));
    expect(stamped.revision).to.equal(edited.revision + 1);
    expect((await readdir(join(env.dataDir, 'config'))).some((n) => n.includes('.corrupt-'))).to.equal(false);
  });

  it('fails with INTEGRITY_ERROR and changes no file when the file and its backup are both bad', async function () {
    await writeFile(file, '{"schemaVersion":1,"revision":');
    await writeFile(backup, 'garbage');
    const before = await hashConfigFiles(env.dataDir);

    const run = await runCli(['--dir', env.dataDir, 'personality', 'list', '--json']);
    expect(run.code).to.equal(8);
    const doc = run.json();
    expect(doc.error?.code).to.equal('INTEGRITY_ERROR');
    expect(doc.error?.message).to.include(file);
    expect(await hashConfigFiles(env.dataDir)).to.deep.equal(before);

    const text = await runCli(['--dir', env.dataDir, 'personality', 'create', '--file', '-'], { stdin: JSON.stringify({ ...validRecords().personality, id: 'other' }) });
    expect(text.code).to.equal(8);
    expect(text.stderr).to.include('INTEGRITY_ERROR');
    expect(await hashConfigFiles(env.dataDir)).to.deep.equal(before);
  });

  it('refuses a corrupt file that has no backup, through the library too', async function () {
    await rm(backup);
    await writeFile(file, '[]');
    const before = await hashConfigFiles(env.dataDir);
    const fresh = await createTestContainer({ dataDir: env.dataDir }).catch((e: AgentcfgError) => e);
    expect((fresh as AgentcfgError).code).to.equal('INTEGRITY_ERROR');
    expect((fresh as AgentcfgError).message).to.include('has no backup');
    expect(await hashConfigFiles(env.dataDir)).to.deep.equal(before);
  });

  it('reads a missing collection file as an empty collection', async function () {
    await rm(join(env.dataDir, 'config', 'agents.json'), { force: true });
    expect(await env.configuration.getAllAgents()).to.deep.equal([]);
  });
});
