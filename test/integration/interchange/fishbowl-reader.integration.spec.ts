import { expect } from 'chai';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { copyFile, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isAgentcfgError, type AgentcfgError } from '../../../src/domain/errors/agentcfg-error';
import { ErrorCode } from '../../../src/domain/errors/error-code';
import {
  FISHBOWL_BEHAVIOURS,
  FISHBOWL_BIG_FIVE,
  FISHBOWL_LEGACY_BEHAVIOURS,
  readFishbowlFile,
  readFishbowlFolder,
  type FishbowlSettings,
} from '../../../src/interchange/fishbowl';
import { MAX_IMPORT_BYTES } from '../../../src/interchange/limits';
import { FIXTURES_DIR } from '../../support/fixtures';
import { makeTempDir } from '../../support/test-container';
import { validationRefusal } from '../../support/refusal';

const FOLDER = join(FIXTURES_DIR, 'interchange', 'fishbowl', 'folder');
const LEGACY = join(FIXTURES_DIR, 'interchange', 'fishbowl', 'legacy-personalities.json');
const FILES = ['personalities.json', 'roles.json', 'agents.json', 'llm_config.json'] as const;
const SECRET = 'sk-proj-A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6';

function fixtureText(file: (typeof FILES)[number]): string {
  return readFileSync(join(FOLDER, file), 'utf8');
}
function fixture(file: (typeof FILES)[number]): Record<string, unknown> & unknown[] {
  return JSON.parse(fixtureText(file)) as Record<string, unknown> & unknown[];
}

const refusal = validationRefusal;

/** Asserts a detail names `path`, and that nothing in the error repeats `secret`. */
function expectNamed(error: AgentcfgError, path: string, secret?: string): void {
  expect(error.details.map((d) => d.path), error.message).to.include(path);
  if (secret !== undefined) expect(JSON.stringify({ message: error.message, details: error.details, context: error.context })).to.not.include(secret);
}

function fileWith(file: (typeof FILES)[number], change: (value: Record<string, unknown> & unknown[]) => void): string {
  const value = fixture(file);
  change(value);
  return JSON.stringify(value);
}

describe('Feature: reading Fishbowl settings (its user-data folder, or one file alone)', function () {
  describe('Scenario: a whole settings folder', function () {
    let settings: FishbowlSettings;
    before(async function () {
      settings = await readFishbowlFolder(FOLDER);
    });

    it('reads all four files, in reference order, with their version stamps', function () {
      expect(settings.files.map((f) => [f.kind, f.source, f.schemaVersion, f.lastUpdated])).to.deep.equal([
        ['llmConfigs', join(FOLDER, 'llm_config.json'), undefined, undefined],
        ['personalities', join(FOLDER, 'personalities.json'), '1.0.0', '2025-09-02T08:30:00.000Z'],
        ['roles', join(FOLDER, 'roles.json'), '1.0.0', undefined],
        ['agents', join(FOLDER, 'agents.json'), '1.0.0', '2025-09-03T09:00:00.000Z'],
      ]);
      expect([settings.personalities.length, settings.roles.length, settings.agents.length, settings.llmConfigs.length]).to.deep.equal([2, 2, 2, 2]);
    });

    it('splits a 27-key personality into its Big Five and 22 behaviours, field by field', function () {
      const [sage, reviewer] = settings.personalities;
      expect(sage).to.deep.equal({
        id: 'the-sage',
        name: 'The Sage',
        layout: 'current',
        bigFive: { openness: 80, conscientiousness: 60, extraversion: 20, agreeableness: 80, neuroticism: 0 },
        behaviors: {
          formality: 40, assertiveness: 20, brevity: 40, storytelling: 80, metaphorical: 80, analyticalDepth: 80, imagination: 60,
          detailOrientation: 60, exampleUsage: 60, pedagogical: 80, empathy: 80, encouragement: 60, patience: 100, personalness: 40,
          humor: 40, playfulness: 20, curiosity: 60, proactiveness: 40, riskTaking: 20, responseLength: 60, randomness: 40, focus: 60,
        },
        customInstructions: 'Speak with calm wisdom; prefer parables to lists.',
        extra: {},
      });
      expect(Object.keys({ ...sage?.bigFive, ...sage?.behaviors }).sort()).to.deep.equal([...FISHBOWL_BEHAVIOURS].sort());
      expect(reviewer?.id).to.equal('b6f1c2de-0a4e-4c1e-9a51-3f0c2d9e7a10');
      expect(reviewer?.behaviors.responseLength).to.equal(12.5);
      expect(reviewer?.customInstructions).to.equal('');
      expect([reviewer?.createdAt, reviewer?.updatedAt]).to.deep.equal(['2025-09-01T10:00:00.000Z', '2025-09-02T08:30:00.000Z']);
      expect(reviewer?.extra).to.deep.equal({ avatarColor: '#336699' });
    });

    it('reads roles, an empty description and unknown fields included', function () {
      expect(settings.roles).to.deep.equal([
        {
          id: 'code-reviewer',
          name: 'Code Reviewer',
          description: 'Reviews changes for correctness and risk.',
          systemPrompt: 'You review code changes. Point out bugs first, then risks, then style.',
          createdAt: '2025-08-20T12:00:00.000Z',
          updatedAt: '2025-08-20T12:00:00.000Z',
          extra: {},
        },
        { id: 'facilitator', name: 'Facilitator', description: '', systemPrompt: 'You keep the discussion moving and summarise agreements.', extra: { category: 'meta' } },
      ]);
    });

    it('reads agents with their references, per-agent adjustments and optional prompt', function () {
      expect(settings.agents).to.deep.equal([
        {
          id: 'agent-reviewer',
          name: 'Rita the Reviewer',
          model: 'claude-sonnet-4-20250514',
          llmConfigId: 'cfg-anthropic',
          role: 'code-reviewer',
          personality: 'b6f1c2de-0a4e-4c1e-9a51-3f0c2d9e7a10',
          systemPrompt: 'Always end with a one-line verdict.',
          personalityBehaviors: { humor: -50, brevity: 80, focus: 100 },
          createdAt: '2025-09-03T09:00:00.000Z',
          updatedAt: '2025-09-03T09:00:00.000Z',
          extra: {},
        },
        { id: 'agent-host', name: 'Hugo the Host', model: 'gpt-4o', llmConfigId: 'cfg-openai', role: 'facilitator', personality: 'the-sage', extra: { pinned: true } },
      ]);
    });

    it('reads LLM configurations, which never hold a key', function () {
      expect(settings.llmConfigs).to.deep.equal([
        { id: 'cfg-openai', customName: 'OpenAI (work)', provider: 'openai', useAuthHeader: true, createdAt: '2025-08-01T00:00:00.000Z', updatedAt: '2025-08-01T00:00:00.000Z', extra: {} },
        {
          id: 'cfg-anthropic',
          customName: 'Anthropic via proxy',
          provider: 'anthropic',
          baseUrl: 'https://llm-proxy.example.com/anthropic',
          useAuthHeader: false,
          createdAt: '2025-08-02T00:00:00.000Z',
          updatedAt: '2025-08-05T14:00:00.000Z',
          extra: {},
        },
      ]);
    });

    it('reads whichever files a folder holds, and leaves the other kinds empty', async function () {
      const dir = await makeTempDir();
      await copyFile(join(FOLDER, 'roles.json'), join(dir, 'roles.json'));
      const partial = await readFishbowlFolder(dir);
      expect(partial.files.map((f) => f.kind)).to.deep.equal(['roles']);
      expect(partial.roles).to.have.length(2);
      expect([partial.personalities, partial.agents, partial.llmConfigs]).to.deep.equal([[], [], []]);
    });

    it('refuses a folder with none of the files, a missing folder and a settings name that is not a file, naming them', async function () {
      const empty = await makeTempDir();
      const none = await readFishbowlFolder(empty).then(() => null, (e: AgentcfgError) => e);
      expect(none?.code).to.equal(ErrorCode.VALIDATION_ERROR);
      expect(none?.context.reason).to.equal('not-found');
      for (const file of FILES) expect(none?.message).to.include(file);
      const missing = await readFishbowlFolder(join(empty, 'nope')).then(() => null, (e: AgentcfgError) => e);
      expect([missing?.code, missing?.message]).to.deep.equal([ErrorCode.VALIDATION_ERROR, `${join(empty, 'nope')} does not exist`]);
      await mkdir(join(empty, 'roles.json'));
      const folderNamedLikeAFile = await readFishbowlFolder(empty).then(() => null, (e: AgentcfgError) => e);
      expect([folderNamedLikeAFile?.code, folderNamedLikeAFile?.message]).to.deep.equal([ErrorCode.VALIDATION_ERROR, `${join(empty, 'roles.json')} cannot be read: it is not a regular file`]);
    });

    it('validates each file of a folder as the file its name says', async function () {
      const dir = await makeTempDir();
      await writeFile(join(dir, 'llm_config.json'), fixtureText('roles.json'));
      const error = await readFishbowlFolder(dir).then(() => null, (e: AgentcfgError) => e);
      expect(error?.code).to.equal(ErrorCode.VALIDATION_ERROR);
      expect(error?.message).to.include('llm_config.json');
    });
  });

  describe('Scenario: one file alone, recognised by its shape', function () {
    it('reads the older layout (bigFive object + 14 behaviours) into the same shape, remembering the layout', function () {
      const read = readFishbowlFile('personalities.json', readFileSync(LEGACY, 'utf8'));
      expect(read.personalities).to.deep.equal([
        {
          id: 'creative-thinker',
          name: 'Creative Thinker',
          layout: 'legacy',
          bigFive: { openness: 85, conscientiousness: 60, extraversion: 70, agreeableness: 75, neuroticism: 40 },
          behaviors: {
            analytical: 65, empathetic: 80, decisive: 55, curious: 90, patient: 70, humorous: 75, formal: 30,
            optimistic: 85, cautious: 45, creative: 95, logical: 60, supportive: 80, direct: 50, enthusiastic: 75,
          },
          customInstructions: 'Focus on innovative solutions and think outside the box',
          createdAt: '2025-01-15T10:30:00.000Z',
          updatedAt: '2025-01-15T10:30:00.000Z',
          extra: {},
        },
      ]);
      expect(Object.keys(read.personalities?.[0]?.bigFive ?? {})).to.deep.equal([...FISHBOWL_BIG_FIVE]);
      expect(Object.keys(read.personalities?.[0]?.behaviors ?? {})).to.deep.equal([...FISHBOWL_LEGACY_BEHAVIOURS]);
    });

    it('goes by the shape, not the name: any name reads each of the four files as what it holds', function () {
      expect(Object.keys(readFishbowlFile('export (1).json', fixtureText('personalities.json')))).to.deep.equal(['personalities', 'files']);
      expect(Object.keys(readFishbowlFile('backup.json', fixtureText('llm_config.json')))).to.deep.equal(['llmConfigs', 'files']);
      expect(Object.keys(readFishbowlFile('agents.json', fixtureText('roles.json')))).to.deep.equal(['roles', 'files']);
      expect(readFishbowlFile('/tmp/a/agents.json', fixtureText('agents.json')).agents?.map((a) => a.id)).to.deep.equal(['agent-reviewer', 'agent-host']);
    });

    it('uses the name only when the shape names no kind, and refuses what is no Fishbowl file, naming the files', function () {
      expectNamed(refusal(() => readFishbowlFile('roles.json', '{"schemaVersion":"1.0.0"}')), 'roles');
      const unknown = refusal(() => readFishbowlFile('notes.json', '{"title":"hello"}'));
      for (const file of FILES) expect(unknown.message).to.include(file);
      const both = refusal(() => readFishbowlFile('mixed.json', '{"schemaVersion":"1.0.0","roles":[],"agents":[]}'));
      expect(both.message).to.include('roles and agents');
    });
  });

  describe('Scenario: hostile or broken input is a ValidationError naming the field', function () {
    it('refuses any credential-named field anywhere, naming its path and never repeating its value', function () {
      const withKey = fileWith('llm_config.json', (configs) => Object.assign(configs[1] as object, { apiKey: SECRET }));
      expectNamed(refusal(() => readFishbowlFile('llm_config.json', withKey)), '1.apiKey', SECRET);
      const opaque = 'opaque-value-without-any-known-prefix-123';
      for (const [name, where] of [['api_key', 0], ['token', 1], ['clientSecret', 0]] as const) {
        const text = fileWith('llm_config.json', (configs) => Object.assign(configs[where] as object, { meta: { [name]: opaque } }));
        expectNamed(refusal(() => readFishbowlFile('llm_config.json', text)), `${where}.meta.${name}`, opaque);
      }
      const inAgent = fileWith('agents.json', (file) => Object.assign((file.agents as object[])[0] as object, { auth: { password: opaque } }));
      expectNamed(refusal(() => readFishbowlFile('agents.json', inAgent)), 'agents.0.auth.password', opaque);
      // An empty or null credential field carries nothing, and `useAuthHeader` is not a credential.
      const blank = fileWith('llm_config.json', (configs) => Object.assign(configs[0] as object, { apiKey: '', token: null }));
      expect(readFishbowlFile('llm_config.json', blank).llmConfigs?.[0]?.extra).to.deep.equal({ apiKey: '', token: null });
    });

    it('refuses credential-looking text in any field, and credentials in a base URL, without echoing them', function () {
      const inText = fileWith('personalities.json', (file) => Object.assign((file.personalities as object[])[0] as object, { customInstructions: `Use ${SECRET}` }));
      expectNamed(refusal(() => readFishbowlFile('personalities.json', inText)), 'personalities.0.customInstructions', SECRET);
      const password = 'hunter2-Very-Secret';
      const inUrl = fileWith('llm_config.json', (configs) => Object.assign(configs[1] as object, { baseUrl: `https://me:${password}@proxy.example.com/` }));
      expectNamed(refusal(() => readFishbowlFile('llm_config.json', inUrl)), '1.baseUrl', password);
      const inQuery = fileWith('llm_config.json', (configs) => Object.assign(configs[1] as object, { baseUrl: `https://proxy.example.com/?api_key=${password}` }));
      expectNamed(refusal(() => readFishbowlFile('llm_config.json', inQuery)), '1.baseUrl', password);
      const broken = `{"schemaVersion":"1.0.0","personalities":[{"customInstructions":"${SECRET}`;
      expect(JSON.stringify(refusal(() => readFishbowlFile('personalities.json', broken)))).to.not.include(SECRET);
    });

    it('holds every field to its type and limits', function () {
      const cases: [(typeof FILES)[number], (value: Record<string, unknown> & unknown[]) => void, string][] = [
        ['personalities.json', (f) => Object.assign(((f.personalities as Record<string, unknown>[])[0] as { behaviors: object }).behaviors, { humor: 150 }), 'personalities.0.behaviors.humor'],
        ['personalities.json', (f) => Object.assign(((f.personalities as Record<string, unknown>[])[1] as { behaviors: object }).behaviors, { focus: '90' }), 'personalities.1.behaviors.focus'],
        ['personalities.json', (f) => Object.assign((f.personalities as object[])[0] as object, { name: 'n'.repeat(51) }), 'personalities.0.name'],
        ['personalities.json', (f) => Object.assign((f.personalities as object[])[0] as object, { customInstructions: 'c'.repeat(501) }), 'personalities.0.customInstructions'],
        ['personalities.json', (f) => Object.assign((f.personalities as object[])[1] as object, { createdAt: 'yesterday' }), 'personalities.1.createdAt'],
        ['personalities.json', (f) => Object.assign(f, { personalities: {} }), 'personalities'],
        ['personalities.json', (f) => Object.assign(f, { schemaVersion: 1 }), 'schemaVersion'],
        ['roles.json', (f) => Object.assign((f.roles as object[])[0] as object, { systemPrompt: '' }), 'roles.0.systemPrompt'],
        ['roles.json', (f) => Object.assign((f.roles as object[])[1] as object, { systemPrompt: 's'.repeat(5001) }), 'roles.1.systemPrompt'],
        ['roles.json', (f) => Object.assign((f.roles as object[])[0] as object, { description: 'd'.repeat(501) }), 'roles.0.description'],
        ['roles.json', (f) => Object.assign((f.roles as object[])[0] as object, { name: 'n'.repeat(101) }), 'roles.0.name'],
        ['agents.json', (f) => Object.assign(((f.agents as Record<string, unknown>[])[0] as { personalityBehaviors: object }).personalityBehaviors, { humor: -101 }), 'agents.0.personalityBehaviors.humor'],
        ['agents.json', (f) => delete ((f.agents as object[])[1] as { llmConfigId?: string }).llmConfigId, 'agents.1.llmConfigId'],
        ['agents.json', (f) => Object.assign((f.agents as object[])[1] as object, { model: 42 }), 'agents.1.model'],
        ['llm_config.json', (f) => Object.assign(f[0] as object, { provider: 'google' }), '0.provider'],
        ['llm_config.json', (f) => Object.assign(f[1] as object, { useAuthHeader: 'yes' }), '1.useAuthHeader'],
        ['llm_config.json', (f) => Object.assign(f[1] as object, { baseUrl: 'ftp://files.example.com' }), '1.baseUrl'],
      ];
      for (const [file, change, path] of cases) expectNamed(refusal(() => readFishbowlFile(file, fileWith(file, change))), path);
    });

    it('refuses a Big Five score given in both places of the older layout', function () {
      const legacy = JSON.parse(readFileSync(LEGACY, 'utf8')) as { personalities: { behaviors: Record<string, number> }[] };
      Object.assign(legacy.personalities[0]?.behaviors ?? {}, { openness: 10 });
      expectNamed(refusal(() => readFishbowlFile('personalities.json', JSON.stringify(legacy))), 'personalities.0.behaviors.openness');
    });

    it('refuses prototype-pollution keys, control characters, broken JSON and files over 10 MB', function () {
      expect(refusal(() => readFishbowlFile('roles.json', '{"schemaVersion":"1.0.0","roles":[],"__proto__":{"x":1}}')).message).to.include('__proto__');
      const control = fileWith('roles.json', (f) => Object.assign((f.roles as object[])[0] as object, { name: 'Bad\u001b[2Jname' }));
      expectNamed(refusal(() => readFishbowlFile('roles.json', control)), 'roles.0.name');
      expect(refusal(() => readFishbowlFile('roles.json', '{"schemaVersion": ')).details[0]?.message).to.match(/^is not valid JSON/);
      const huge = `{"schemaVersion":"1.0.0","roles":[],"pad":"${'x'.repeat(MAX_IMPORT_BYTES)}"}`;
      expect(refusal(() => readFishbowlFile('roles.json', huge)).message).to.include('too large');
      expect(refusal(() => readFishbowlFile('roles.json', `${'['.repeat(100_000)}${']'.repeat(100_000)}`)).code).to.equal(ErrorCode.VALIDATION_ERROR);
    });
  });

  describe('Scenario: random input never escapes as anything but a ValidationError', function () {
    function readsOrRefuses(name: string, text: string): void {
      try {
        readFishbowlFile(name, text);
      } catch (error) {
        if (!isAgentcfgError(error) || error.code !== ErrorCode.VALIDATION_ERROR) throw error;
      }
    }

    it('for random JSON and random text under each file name (fast-check, 300 runs)', function () {
      const text = fc.oneof(fc.json({ maxDepth: 4 }), fc.string(), fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify({ schemaVersion: '1.0.0', personalities: [v] })));
      fc.assert(
        fc.property(fc.constantFrom(...FILES, 'other.json'), text, (name, body) => readsOrRefuses(name, body)),
        { numRuns: 300, seed: 20260611 },
      );
    });

    it('for valid files with one field replaced by a random value (fast-check, 300 runs)', function () {
      const targets = FILES.flatMap((file) => paths(fixture(file)).map((path) => [file, path] as const));
      fc.assert(
        fc.property(fc.constantFrom(...targets), fc.jsonValue({ maxDepth: 3 }), ([file, path], value) => {
          const body = fixture(file);
          setAt(body, path, value);
          readsOrRefuses(file, JSON.stringify(body));
        }),
        { numRuns: 300, seed: 20260612 },
      );
    });
  });
});

/** Every path to a value in `value` (objects and arrays walked). */
function paths(value: unknown, at: string[] = []): string[][] {
  if (typeof value !== 'object' || value === null) return [at];
  return [at, ...Object.entries(value).flatMap(([key, item]) => paths(item, [...at, key]))];
}

/** Sets the value at `path` (the root itself cannot be replaced in place, so an empty path changes nothing). */
function setAt(root: unknown, path: readonly string[], value: unknown): void {
  const parent = path.slice(0, -1).reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], root);
  const last = path[path.length - 1];
  if (last !== undefined) (parent as Record<string, unknown>)[last] = value;
}
