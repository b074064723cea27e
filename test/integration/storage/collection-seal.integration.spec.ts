import { expect } from 'chai';
import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Personality } from '../../../src/domain/personality/personality';
import { IFileService } from '../../../src/storage/file/file-service';
import { checksumOf } from '../../../src/domain/canonical-json';
import { decodeSeal, encodeSeal, schemaFingerprint, sealHolds, type CollectionSeal } from '../../../src/storage/collection-seal';
import { COLLECTION_SPECS } from '../../../src/storage/collection-specs';
import { validRecords } from '../../support/records';
import { createTestContainer, type TestContainer } from '../../support/test-container';

interface PersonalityFile {
  revision: number;
  checksum: string;
  personalities: Personality[];
}

const spec = COLLECTION_SPECS.personality;
/** Every collection counts as large: its changes go to a log, and a file written whole is sealed. */
const LARGE = { appendAboveBytes: 0, sealAboveBytes: 0, compactAfterIdleMs: Infinity };

describe('Feature: a large collection file agentcfg wrote is sealed, and opened without checking every record again', function () {
  let env: TestContainer;
  let file: string;
  let sealPath: string;
  const ada = validRecords().personality as Personality;

  const readFileJson = async () => JSON.parse(await readFile(file, 'utf8')) as PersonalityFile;
  const readSeal = async () => decodeSeal(await readFile(sealPath, 'utf8'));
  const freshProcess = () => createTestContainer({ ...LARGE, dataDir: env.dataDir });
  /** Writes `text` over the file and seals it as agentcfg would: what only a deliberate forger could do. */
  const forgeSealed = async (text: string, seal: Partial<CollectionSeal> = {}) => {
    await writeFile(file, text);
    const { dev, ino, size, mtimeMs, ctimeMs } = await stat(file);
    const checksum = (JSON.parse(text) as PersonalityFile).checksum;
    await writeFile(sealPath, encodeSeal({ dev, ino, size, mtimeMs, ctimeMs, checksum, schema: schemaFingerprint(spec) as string, ...seal }));
  };
  /** The file with ada's humor set to a value the schema refuses, checksum recomputed (a careful hand edit). */
  const withBadHumor = async () => {
    const content = await readFileJson();
    const personalities = content.personalities.map((p) => (p.id === ada.id ? { ...p, humor: 500 } : p));
    return JSON.stringify({ ...content, checksum: checksumOf(personalities), personalities }, null, 2);
  };

  beforeEach(async function () {
    env = await createTestContainer(LARGE);
    file = join(env.dataDir, 'config', 'personalities.json');
    sealPath = `${file}.seal`;
    await env.configuration.createPersonality(ada);
    await env.configuration.compact(); // written whole, so sealed
  });

  afterEach(() => env.dispose());

  it('the seal records the file as written (device, inode, size, modification and change times, checksum, schema); another process reads the same records', async function () {
    const seal = await readSeal();
    const written = await stat(file);
    expect(seal).to.deep.equal({
      dev: written.dev,
      ino: written.ino,
      size: written.size,
      mtimeMs: written.mtimeMs,
      ctimeMs: written.ctimeMs,
      checksum: (await readFileJson()).checksum,
      schema: schemaFingerprint(spec),
    });
    expect(await (await freshProcess()).configuration.getAllPersonalities()).to.deep.equal(await env.configuration.getAllPersonalities());
  });

  it('a file that matches its seal is served as it is, unchecked (the seal is trusted); verify still checks every record', async function () {
    await forgeSealed(await withBadHumor());

    const other = await freshProcess();
    expect((await other.configuration.getPersonality(ada.id))?.humor, 'served as sealed').to.equal(500);
    const findings = (await other.configuration.verify()).findings.filter((f) => f.code === 'FILE_CORRUPT');
    expect(findings.map((f) => f.message).join('\n')).to.include('personalities.json').and.include('humor');
  });

  it('a file changed after it was sealed, even to the same size, is checked in full: a bad record makes it corrupt and the backup comes back', async function () {
    await env.configuration.updatePersonality(ada.id, { humor: 55 });
    await env.configuration.compact(); // a second whole write: the .bak holds the first
    const backup = JSON.parse(await readFile(`${file}.bak`, 'utf8')) as PersonalityFile;
    const text = await readFile(file, 'utf8');
    const edited = text.replace(/"humor": 55/, '"humor": -5'); // same length, refused by the schema
    expect(edited.length).to.equal(text.length);
    await writeFile(file, edited); // in place: same inode, same size

    const other = await freshProcess();
    expect(await other.configuration.getAllPersonalities()).to.deep.equal(backup.personalities);
    expect((await readdir(join(env.dataDir, 'config'))).some((n) => n.startsWith('personalities.json.corrupt-'))).to.equal(true);
  });

  it('a seal that differs from the file in any one of its times, or was made for another schema, does not hold', async function () {
    const seal = (await readSeal()) as CollectionSeal;
    const now = await stat(file);
    expect(sealHolds(seal, now, spec), 'as written').to.equal(true);
    for (const field of ['dev', 'ino', 'size', 'mtimeMs', 'ctimeMs'] as const) {
      expect(sealHolds(seal, Object.assign(Object.create(now) as typeof now, { [field]: now[field] + 1 }), spec), field).to.equal(false);
    }
    expect(sealHolds({ ...seal, schema: 'another schema' }, now, spec), 'schema').to.equal(false);
    // Whole-millisecond times: a file system whose times are coarse, where an edit could keep them.
    const coarse = Object.assign(Object.create(now) as typeof now, { ctimeMs: Math.floor(now.ctimeMs) });
    expect(sealHolds({ ...seal, ctimeMs: coarse.ctimeMs }, coarse, spec), 'coarse times').to.equal(false);

    await forgeSealed(await withBadHumor(), { schema: 'another schema' });
    expect((await (await freshProcess()).configuration.getPersonality(ada.id))?.humor, 'checked in full: the backup is back').to.not.equal(500);
  });

  it('a write of records the schema refuses (through the file service) is not sealed, so the next open checks it', async function () {
    const files = env.container.get<IFileService>(IFileService);
    await files.transaction(
      async (tx) => {
        const { items } = await tx.read('personality');
        // More than 64 records at once: written whole, not appended to the log.
        const more = Array.from({ length: 64 }, (_, i) => ({ ...items[0], id: `more-${i}`, isTemplate: false }));
        await tx.write('personality', [...items, ...more, { ...items[0], id: 'bad-humor', isTemplate: false, humor: 500 }] as never[]);
      },
      { context: env.configuration.issueContext() },
    );
    expect((await readFileJson()).personalities.some((p) => p.id === 'bad-humor'), 'written').to.equal(true);
    expect(sealHolds(await readSeal(), await stat(file), spec), 'the old seal does not hold for the new file').to.equal(false);

    expect(await (await freshProcess()).configuration.getPersonality('bad-humor'), 'checked: corrupt, the backup is back').to.equal(null);
  });

  it('a collection under sealAboveBytes (256 KiB unless said) is not sealed', async function () {
    const small = await createTestContainer({ compactAfterIdleMs: Infinity });
    await small.configuration.createPersonality(ada);
    await small.configuration.compact(); // written whole
    expect((await readdir(join(small.dataDir, 'config'))).filter((n) => n.endsWith('.seal'))).to.deep.equal([]);
    await small.dispose();
  });
});
