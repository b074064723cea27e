import { expect } from 'chai';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Bundle } from '../../../src/domain/bundle';
import { PERSONALITY_TRAITS } from '../../../src/domain/personality/personality';
import { readFishbowlFile, readFishbowlFolder, type FishbowlSettings } from '../../../src/interchange/fishbowl';
import { findCredentialFields } from '../../../src/interchange/credential-fields';
import { bundleToFishbowl } from '../../../src/interchange/fishbowl/from-bundle';
import { fishbowlToBundle } from '../../../src/interchange/fishbowl/to-bundle';
import { FIXTURES_DIR } from '../../support/fixtures';
import { createTestContainer, makeTempDir, type TestContainer } from '../../support/test-container';

const FOLDER = join(FIXTURES_DIR, 'interchange', 'fishbowl', 'folder');
const LEGACY = join(FIXTURES_DIR, 'interchange', 'fishbowl', 'legacy-personalities.json');
const NOW = '2026-01-02T03:04:05.000Z';
const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/;

/** Writes the four exported files into a fresh folder and reads it back with Fishbowl's reader. */
async function writeAndReadBack(files: Record<string, unknown>): Promise<{ dir: string; settings: FishbowlSettings }> {
  const dir = await makeTempDir('agentcfg-fishbowl-export-');
  for (const [name, content] of Object.entries(files)) await writeFile(join(dir, name), `${JSON.stringify(content, null, 2)}\n`);
  return { dir, settings: await readFishbowlFolder(dir) };
}

/** `original` with the timestamps Fishbowl left unset taken from `back` (agentcfg stamps its own on import). */
function withTimestampsOf<T extends { createdAt?: string; updatedAt?: string }>(original: T, back: T): T {
  return { ...original, createdAt: original.createdAt ?? back.createdAt, updatedAt: original.updatedAt ?? back.updatedAt };
}

function byId<T extends { id: string }>(list: readonly T[], id: string): T {
  const found = list.find((item) => item.id === id);
  expect(found, `no record '${id}'`).to.not.equal(undefined);
  return found as T;
}

describe('Feature: exporting agentcfg records as Fishbowl settings (bundleToFishbowl)', function () {
  let env: TestContainer;
  beforeEach(async function () {
    env = await createTestContainer();
  });
  afterEach(() => env.dispose());

  async function importFishbowl(settings: FishbowlSettings, source: string): Promise<Bundle> {
    await env.configuration.importBundle(fishbowlToBundle(settings, source).bundle);
    return env.configuration.exportBundle();
  }

  describe('Scenario: Fishbowl → agentcfg → Fishbowl gives the settings back', function () {
    let original: FishbowlSettings;
    let back: FishbowlSettings;
    let files: Record<string, unknown>;
    let dir: string;
    beforeEach(async function () {
      original = await readFishbowlFolder(FOLDER);
      files = bundleToFishbowl(await importFishbowl(original, FOLDER), { now: NOW });
      ({ dir, settings: back } = await writeAndReadBack(files));
    });

    it('writes all four files, stamped with the export time, in the shapes the reader takes', function () {
      expect(back.files.map((f) => [f.kind, f.schemaVersion, f.lastUpdated])).to.deep.equal([
        ['llmConfigs', undefined, undefined],
        ['personalities', '1.0.0', NOW],
        ['roles', '1.0.0', NOW],
        ['agents', '1.0.0', NOW],
      ]);
      expect(files['llm_config.json']).to.be.an('array');
    });

    it('personalities come back with the same ids, names, every behaviour value (non-trait and fractional ones too) and instructions', function () {
      expect(back.personalities.map((p) => p.id)).to.deep.equal(original.personalities.map((p) => p.id));
      for (const p of original.personalities) {
        const again = byId(back.personalities, p.id);
        expect(again, p.id).to.deep.equal(withTimestampsOf(p, again));
        expect(again.createdAt, p.id).to.match(ISO);
      }
      expect(byId(back.personalities, 'b6f1c2de-0a4e-4c1e-9a51-3f0c2d9e7a10').behaviors.responseLength).to.equal(12.5);
      expect(byId(back.personalities, 'b6f1c2de-0a4e-4c1e-9a51-3f0c2d9e7a10').extra).to.deep.equal({ avatarColor: '#336699' });
    });

    it('roles come back with the same names, descriptions, system prompts, timestamps and unknown fields', function () {
      expect(back.roles.map((r) => r.id)).to.deep.equal(original.roles.map((r) => r.id));
      for (const r of original.roles) {
        const again = byId(back.roles, r.id);
        expect(again, r.id).to.deep.equal(withTimestampsOf(r, again));
      }
      expect(byId(back.roles, 'code-reviewer').createdAt).to.equal('2025-08-20T12:00:00.000Z');
      expect(byId(back.roles, 'facilitator').extra).to.deep.equal({ category: 'meta' });
    });

    it('agents come back with their model, LLM configuration, role, personality, system prompt and adjustments', function () {
      expect(back.agents.map((a) => a.id)).to.deep.equal(original.agents.map((a) => a.id));
      for (const a of original.agents) {
        const again = byId(back.agents, a.id);
        expect(again, a.id).to.deep.equal(withTimestampsOf(a, again));
      }
      expect(byId(back.agents, 'agent-reviewer')).to.deep.include({
        model: 'claude-sonnet-4-20250514',
        llmConfigId: 'cfg-anthropic',
        role: 'code-reviewer',
        personality: 'b6f1c2de-0a4e-4c1e-9a51-3f0c2d9e7a10',
        systemPrompt: 'Always end with a one-line verdict.',
        personalityBehaviors: { humor: -50, brevity: 80, focus: 100 },
      });
      expect(byId(back.agents, 'agent-host').extra).to.deep.equal({ pinned: true });
    });

    it('LLM configurations come back field for field, and nothing anywhere is named like a credential', async function () {
      expect(back.llmConfigs).to.deep.equal(original.llmConfigs);
      expect(findCredentialFields(files)).to.deep.equal([]);
      for (const name of Object.keys(files)) expect(await readFile(join(dir, name), 'utf8')).to.not.match(/api_?key/i);
    });
  });

  it('a change made in agentcfg after the import is what Fishbowl gets back, stamped as newer', async function () {
    const original = await readFishbowlFolder(FOLDER);
    await importFishbowl(original, FOLDER);
    // responseLength 12.5 was kept in extensions (not a whole number); a trait set since replaces it.
    const changed = await env.configuration.updatePersonality('b6f1c2de-0a4e-4c1e-9a51-3f0c2d9e7a10', { humor: 90, responseLength: 13 });
    const { settings } = await writeAndReadBack(bundleToFishbowl(await env.configuration.exportBundle(), { now: NOW }));
    const again = byId(settings.personalities, 'b6f1c2de-0a4e-4c1e-9a51-3f0c2d9e7a10');
    expect(again.behaviors).to.include({ humor: 90, responseLength: 13, brevity: 100 });
    expect(again.createdAt).to.equal('2025-09-01T10:00:00.000Z');
    expect(again.updatedAt).to.equal(changed.updatedAt);
  });

  it('the older layout round-trips to today\'s layout with the same values', async function () {
    const original = readFishbowlFile(LEGACY, await readFile(LEGACY, 'utf8'));
    const legacy = original.personalities ?? [];
    expect(legacy.map((p) => p.layout)).to.deep.equal(['legacy']);
    const settings: FishbowlSettings = { personalities: legacy, roles: [], agents: [], llmConfigs: [], files: original.files ?? [] };
    const files = bundleToFishbowl(await importFishbowl(settings, LEGACY), { now: NOW });
    expect((files['personalities.json'] as { personalities: Record<string, unknown>[] }).personalities[0]).to.not.have.property('bigFive');
    const back = (await writeAndReadBack(files)).settings;
    expect(back.personalities).to.have.length(1);
    expect(back.personalities[0]).to.deep.equal({ ...legacy[0], layout: 'current' });
    expect([back.roles, back.agents, back.llmConfigs]).to.deep.equal([[], [], []]);
  });

  it('records made in agentcfg export to files Fishbowl reads: set traits only, text cut to its caps, models it cannot reach left out', async function () {
    const c = env.configuration;
    const personality = await c.createPersonality({ name: `Precise ${'n'.repeat(80)}`, description: 'Not a Fishbowl field.', openness: 70, humor: 0, dramaticism: 55, customInstructions: 'i'.repeat(600) });
    const role = await c.createRole({ name: 'Analyst', description: 'd'.repeat(700), systemPrompt: `${'p'.repeat(5100)}`, focusAreas: ['numbers'] });
    const proxy = await c.records('connection').create({ name: 'Proxy', provider: 'openai-compatible', baseUrl: 'https://llm.example.com/v1?team=blue' });
    const gemini = await c.records('connection').create({ name: 'Gemini', provider: 'google' });
    const base = { personalityId: personality.id, roleId: role.id, color: '#112233' };
    const viaProxy = await c.createAgent({ ...base, name: 'Via proxy', connectionId: proxy.id, modelConfig: { provider: 'openai', modelId: 'gpt-4o-mini' } });
    const claude = await c.createAgent({ ...base, name: 'Claude', modelConfig: { provider: 'anthropic', modelId: 'claude-3-5-haiku-latest' } });
    const onGemini = await c.createAgent({ ...base, name: 'On Gemini', connectionId: gemini.id, modelConfig: { provider: 'google', modelId: 'gemini-2.0-flash' } });
    const local = await c.createAgent({ ...base, name: 'Local', modelConfig: { provider: 'ollama', modelId: 'llama3' } });

    const files = bundleToFishbowl(await c.exportBundle(), { now: NOW });
    const { settings } = await writeAndReadBack(files);

    const p = byId(settings.personalities, personality.id);
    expect({ ...p.bigFive, ...p.behaviors }).to.deep.equal({ openness: 70, humor: 0, dramaticism: 55 });
    for (const trait of PERSONALITY_TRAITS.filter((t) => !['openness', 'humor', 'dramaticism'].includes(t))) expect(p.behaviors).to.not.have.property(trait);
    expect(p.name).to.equal(personality.name.slice(0, 50));
    expect(p.customInstructions).to.have.length(500);
    expect([p.createdAt, p.updatedAt]).to.deep.equal([personality.createdAt, personality.updatedAt]);
    expect(p.extra).to.deep.equal({});

    const r = byId(settings.roles, role.id);
    expect([r.description.length, r.systemPrompt]).to.deep.equal([500, role.systemPrompt.slice(0, 5000)]);
    expect(r.extra).to.deep.equal({});

    expect(settings.agents.map((a) => a.id).sort()).to.deep.equal([viaProxy.id, claude.id].sort());
    expect(settings.agents.map((a) => a.id)).to.not.include.members([onGemini.id, local.id]);
    expect(byId(settings.agents, viaProxy.id)).to.deep.include({ model: 'gpt-4o-mini', llmConfigId: proxy.id, role: role.id, personality: personality.id });
    expect(byId(settings.agents, viaProxy.id)).to.not.have.property('systemPrompt');
    expect(byId(settings.agents, claude.id).llmConfigId).to.equal('agentcfg-anthropic');
    expect(settings.llmConfigs.map((l) => [l.id, l.provider, l.baseUrl])).to.deep.equal([
      [proxy.id, 'openai', 'https://llm.example.com/v1?team=blue'],
      ['agentcfg-anthropic', 'anthropic', undefined],
    ]);
    expect(byId(settings.llmConfigs, 'agentcfg-anthropic')).to.deep.include({ customName: 'Anthropic', useAuthHeader: false, createdAt: NOW });
  });

  it('a field named like a credential, kept in extensions or in a base URL\'s query, is never written', async function () {
    const c = env.configuration;
    const proxy = await c.records('connection').create({
      name: 'Proxy',
      provider: 'anthropic',
      baseUrl: 'https://llm.example.com/anthropic?api_key=placeholder&region=eu',
      extensions: { fishbowl: { useAuthHeader: true, apiKey: 'placeholder', tier: 'gold' } },
    });
    const files = bundleToFishbowl(await c.exportBundle(), { now: NOW });
    expect(JSON.stringify(files)).to.not.match(/api_?key/i);
    const { settings } = await writeAndReadBack(files);
    expect(byId(settings.llmConfigs, proxy.id)).to.deep.include({ baseUrl: 'https://llm.example.com/anthropic?region=eu', useAuthHeader: true, extra: { tier: 'gold' } });
  });
});
