import { expect } from 'chai';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isAgentcfgError, type AgentcfgError } from '../../../src/domain/errors/agentcfg-error';
import { ErrorCode } from '../../../src/domain/errors/error-code';
import { detectFormat, IMPORT_FORMATS, type ImportFormat } from '../../../src/interchange/detect';
import { MAX_IMPORT_BYTES } from '../../../src/interchange/limits';
import { FIXTURES_DIR } from '../../support/fixtures';
import { makeTempDir } from '../../support/test-container';

const DIR = join(FIXTURES_DIR, 'interchange');
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);
const FORMAT_NAMES = ['Fishbowl', 'character card', 'CrewAI', 'Letta', 'agentcfg bundle'];

function fixture(path: string): { name: string; bytes: Buffer } {
  return { name: path.split('/').pop() ?? path, bytes: readFileSync(join(DIR, path)) };
}
function json(name: string, value: unknown): { name: string; bytes: Buffer } {
  return { name, bytes: Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)) };
}

async function refusal(promise: Promise<unknown>): Promise<AgentcfgError> {
  const error = await promise.then(
    () => expect.fail('expected a ValidationError'),
    (e: unknown) => e,
  );
  expect(isAgentcfgError(error), String(error)).to.equal(true);
  expect((error as AgentcfgError).code).to.equal(ErrorCode.VALIDATION_ERROR);
  return error as AgentcfgError;
}

/** Asserts the error says the input is in no known format, naming every format agentcfg reads. */
function expectUnknown(error: AgentcfgError): void {
  for (const name of FORMAT_NAMES) expect(error.message).to.include(name);
  expect(error.context.formats).to.deep.equal([...IMPORT_FORMATS]);
}

const CARD_V2 = { spec: 'chara_card_v2', spec_version: '2.0', data: { name: 'Aria', description: 'A bard.', personality: 'cheerful', first_mes: 'Hello!' } };
const BUNDLE = { schemaVersion: 1, exportedAt: '2025-09-01T00:00:00.000Z', personalities: [{ id: 'p', name: 'P' }], roles: [], connections: [], agents: [] };

describe('Feature: detecting the format of an import, by content', function () {
  it('picks the right format for every fixture', async function () {
    const expected: [string, ImportFormat][] = [
      ['fishbowl/folder/personalities.json', 'fishbowl'],
      ['fishbowl/folder/roles.json', 'fishbowl'],
      ['fishbowl/folder/agents.json', 'fishbowl'],
      ['fishbowl/folder/llm_config.json', 'fishbowl'],
      ['fishbowl/legacy-personalities.json', 'fishbowl'],
      ['crewai/agents.yaml', 'crewai'],
      ['letta/agent-file.af', 'letta'],
      ['letta/flat.af', 'letta'],
      ['letta/wrapped.af', 'letta'],
      ['letta/mixed-endpoints.af', 'letta'],
      ['crewai/mixed-llms.yaml', 'crewai'],
      ['card/card-v2.json', 'card'],
      ['card/card-v3.json', 'card'],
      ['card/card-v2.png', 'card'],
      ['card/card-v3.png', 'card'],
      ['card/card-v2-extras.json', 'card'],
      ['card/card-v2-extras.png', 'card'],
    ];
    for (const [path, format] of expected) expect(await detectFormat(fixture(path)), path).to.equal(format);
    expect(await detectFormat({ dir: join(DIR, 'fishbowl', 'folder') })).to.equal('fishbowl');
  });

  it('recognises character cards (PNG signature, or JSON spec v2/v3) and agentcfg bundles', async function () {
    expect(await detectFormat({ name: 'aria.png', bytes: PNG })).to.equal('card');
    expect(await detectFormat({ name: 'aria.bin', bytes: PNG })).to.equal('card');
    expect(await detectFormat(json('aria.json', CARD_V2))).to.equal('card');
    expect(await detectFormat(json('aria.json', { ...CARD_V2, spec: 'chara_card_v3', spec_version: '3.0' }))).to.equal('card');
    expect(await detectFormat(json('export.json', BUNDLE))).to.equal('bundle');
    expect(await detectFormat(json('export.json', { roles: [{ name: 'R', systemPrompt: 'S' }] }))).to.equal('bundle');
  });

  it('goes by content, not by name', async function () {
    expect(await detectFormat({ name: 'agents.json', bytes: fixture('letta/agent-file.af').bytes })).to.equal('letta');
    expect(await detectFormat({ name: 'agents.yaml', bytes: fixture('fishbowl/folder/roles.json').bytes })).to.equal('fishbowl');
    expect(await detectFormat({ name: 'crew.json', bytes: fixture('crewai/agents.yaml').bytes })).to.equal('crewai');
    expect(await detectFormat({ name: 'card.af', bytes: Buffer.from(JSON.stringify(CARD_V2)) })).to.equal('card');
    const crewAsJson = { writer: { role: 'Writer', goal: 'Write', backstory: 'Wrote.' } };
    expect(await detectFormat(json('agents.json', crewAsJson))).to.equal('crewai');
    expect(await detectFormat(json('bom.json', `\uFEFF${JSON.stringify(BUNDLE)}`))).to.equal('bundle');
  });

  it('uses the name only to settle an empty array: llm_config.json is Fishbowl, any other name is unknown', async function () {
    expect(await detectFormat(json('llm_config.json', []))).to.equal('fishbowl');
    expectUnknown(await refusal(detectFormat(json('list.json', []))));
  });

  it('refuses unknown input with a ValidationError naming the formats it knows', async function () {
    const unknown = [
      json('notes.txt', 'just some text'),
      json('empty.json', {}),
      json('list.json', [1, 2, 3]),
      json('config.yaml', 'servers:\n  - web\n  - db\n'),
      json('people.yaml', 'alice:\n  age: 30\n'),
      json('bundle-ish.json', { schemaVersion: 2, personalities: [] }),
      json('fishbowl-ish.json', { schemaVersion: 1, personalities: [], lastUpdated: 'x' }),
      { name: 'blob.bin', bytes: Buffer.from([0, 1, 2, 3, 255, 254]) },
      json('empty', ''),
    ];
    for (const input of unknown) expectUnknown(await refusal(detectFormat(input)));
    const bomb = ['a: &a [x,x,x,x,x,x,x,x,x]', ...Array.from({ length: 7 }, (_, i) => `l${i}: &l${i} [${Array(9).fill(i === 0 ? '*a' : `*l${i - 1}`).join(',')}]`)];
    const refused = await refusal(detectFormat(json('bomb.yaml', bomb.join('\n'))));
    expectUnknown(refused);
    expect(refused.details.map((d) => d.message).join(' ')).to.include('alias');
  });

  it('refuses folders without Fishbowl files, missing folders, polluted JSON and input over 10 MB', async function () {
    const dir = await makeTempDir();
    expectUnknown(await refusal(detectFormat({ dir })));
    await writeFile(join(dir, 'settings.json'), '{}');
    await mkdir(join(dir, 'roles.json'));
    expectUnknown(await refusal(detectFormat({ dir })));
    expect((await refusal(detectFormat({ dir: join(dir, 'missing') }))).message).to.include('does not exist');
    expect((await refusal(detectFormat(json('x.json', '{"__proto__":{"a":1}}')))).message).to.include('__proto__');
    expect((await refusal(detectFormat({ name: 'big.json', bytes: Buffer.alloc(MAX_IMPORT_BYTES + 1, 0x20) }))).message).to.include('too large');
  });

  it('never throws anything but a ValidationError, and only ever names a known format (fast-check, 300 runs)', async function () {
    const bytes = fc.oneof(
      fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.from(b)),
      fc.json({ maxDepth: 4 }).map((t) => Buffer.from(t)),
      fc.string().map((t) => Buffer.from(t)),
      fc.json({ maxDepth: 3 }).map((t) => Buffer.from(JSON.stringify(t))),
      fc.uint8Array({ maxLength: 50 }).map((b) => Buffer.concat([PNG, b])),
    );
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('a.json', 'llm_config.json', 'agents.yaml', 'x.af', 'c.png'), bytes, async (name, body) => {
        try {
          expect(IMPORT_FORMATS).to.include(await detectFormat({ name, bytes: body }));
        } catch (error) {
          if (!isAgentcfgError(error) || error.code !== ErrorCode.VALIDATION_ERROR) throw error;
        }
      }),
      { numRuns: 300, seed: 20260615 },
    );
  });
});
