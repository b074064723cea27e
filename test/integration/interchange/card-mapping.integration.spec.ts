import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { withoutManagedFields, type Bundle } from '../../../src/domain/bundle';
import { PERSONALITY_TRAITS } from '../../../src/domain/personality/personality';
import { parseCard, parseCardJson, readCardPng, writeCardPng, type Card } from '../../../src/interchange/card';
import { bundleToCards } from '../../../src/interchange/card/from-bundle';
import { cardToBundle } from '../../../src/interchange/card/to-bundle';
import type { MappedRecord, MappingReport } from '../../../src/interchange/mapping-report';
import { FIXTURES_DIR } from '../../support/fixtures';
import { validationRefusal } from '../../support/refusal';
import { storedRecords } from '../../support/store-state';
import { createTestContainer, type TestContainer } from '../../support/test-container';

const CARD_DIR = join(FIXTURES_DIR, 'interchange', 'card');
const DEFAULT_MODEL = { provider: 'openai', modelId: 'gpt-4o-mini', parameters: { temperature: 0.7 } };
const KEY = ['sk', 'proj', 'Q1w2E3r4T5y6U7i8O9p0A1s2D3f4G5h6'].join('-');

type Kind = 'personality' | 'role' | 'agent';
type Json = Record<string, unknown>;

/** A card fixture and what importing it must give: which card fields go where. */
interface Fixture {
  file: string;
  id: string;
  /** The card fields the role's systemPrompt is made of, in order. */
  prompt: readonly ('system_prompt' | 'description' | 'scenario')[];
  /** The `data` fields (spec or unknown) each record keeps in extensions.card.data. */
  keeps: Record<Kind, readonly string[]>;
  /** Top-level keys the agent keeps in extensions.card.root. */
  root: readonly string[];
}

const FIXTURES: readonly Fixture[] = [
  {
    file: 'card-v2',
    id: 'mira-vance',
    prompt: ['system_prompt', 'description', 'scenario'],
    keeps: { personality: ['mes_example'], role: ['post_history_instructions', 'character_book'], agent: ['first_mes', 'alternate_greetings', 'tags', 'creator', 'character_version'] },
    root: [],
  },
  {
    file: 'card-v3',
    id: 'kaito-ren',
    prompt: ['description', 'scenario'],
    keeps: {
      personality: [],
      role: ['character_book'],
      agent: ['first_mes', 'tags', 'creator', 'character_version', 'assets', 'nickname', 'creator_notes_multilingual', 'source', 'group_only_greetings', 'creation_date', 'modification_date', 'x_future_field', 'legacy_mood'],
    },
    root: ['create_date'],
  },
  {
    file: 'card-v2-extras',
    id: 'captain-odile-brass',
    prompt: ['description', 'scenario'],
    keeps: { personality: ['mes_example'], role: [], agent: ['first_mes', 'alternate_greetings', 'tags', 'x_app_state', 'avatar_crop'] },
    root: ['name', 'description', 'personality', 'scenario', 'first_mes', 'mes_example', 'creatorcomment', 'avatar', 'chat', 'talkativeness', 'fav', 'tags', 'create_date'],
  },
];

const rawJson = (file: string): { data: Json } & Json => JSON.parse(readFileSync(join(CARD_DIR, `${file}.json`), 'utf8')) as { data: Json } & Json;
const readFixture = (file: string, form: 'json' | 'png'): Card =>
  form === 'json' ? parseCardJson(readFileSync(join(CARD_DIR, `${file}.json`), 'utf8'), `${file}.json`) : readCardPng(readFileSync(join(CARD_DIR, `${file}.png`)), `${file}.png`);
const pick = (from: Json, keys: readonly string[]): Json => Object.fromEntries(keys.map((key) => [key, from[key]]));
const recordOf = (report: MappingReport, kind: Kind): MappedRecord => report.records.find((r) => r.kind === kind) as MappedRecord;

/** Compares two JSON objects key by key, so a failure names the field that differs. */
function expectFieldByField(actual: Json, expected: Json, label: string): void {
  for (const key of new Set([...Object.keys(actual), ...Object.keys(expected)])) expect(actual[key], `${label}.${key}`).to.deep.equal(expected[key]);
}

/** Compares two cards field by field: the top level, `data`, and `data.extensions` each key by key. */
function expectSameCard(actual: Card, expected: Card, label: string): void {
  const { data: actualData, unknownData: actualExtra, unknownRoot: actualRoot, ...actualTop } = actual;
  const { data: expectedData, unknownData: expectedExtra, unknownRoot: expectedRoot, ...expectedTop } = expected;
  expectFieldByField(actualTop, expectedTop, label);
  expectFieldByField({ ...actualData, extensions: undefined }, { ...expectedData, extensions: undefined }, `${label}.data`);
  expectFieldByField(actualData.extensions, expectedData.extensions, `${label}.data.extensions`);
  expectFieldByField(actualExtra, expectedExtra, `${label} unknown data keys`);
  expectFieldByField(actualRoot, expectedRoot, `${label} unknown top-level keys`);
  expect(actual).to.deep.equal(expected);
}

/** The bodies the service stored (managed fields and the agent's resolution left out), by kind. */
async function storedBodies(env: TestContainer, id: string): Promise<Record<Kind, Json>> {
  const [personality, role, agent] = await Promise.all([env.configuration.getPersonality(id), env.configuration.getRole(id), env.configuration.getAgent(id)]);
  expect(personality && role && agent, `records '${id}' stored`).to.not.equal(null);
  return { personality: withoutManagedFields(personality as Json), role: withoutManagedFields(role as Json), agent: withoutManagedFields(agent as Json) };
}

describe('Feature: a Character Card imports as a personality, a role and an agent, with a mapping report', function () {
  const opened: TestContainer[] = [];
  const fresh = async (): Promise<TestContainer> => {
    const env = await createTestContainer();
    opened.push(env);
    return env;
  };
  afterEach(async () => Promise.all(opened.splice(0).map((env) => env.dispose())));

  for (const fixture of FIXTURES) {
    for (const form of ['json', 'png'] as const) {
      it(`${fixture.file}.${form} imports through the service into the expected records, and the report names every field`, async function () {
        const raw = rawJson(fixture.file);
        const { bundle, report } = cardToBundle(readFixture(fixture.file, form), `${fixture.file}.${form}`);
        const env = await fresh();
        await env.configuration.importBundle(bundle);
        const stored = await storedBodies(env, fixture.id);
        const { id } = fixture;
        const data = raw.data;
        const promptParts = fixture.prompt.join() === 'system_prompt' ? undefined : Object.fromEntries(fixture.prompt.map((part) => [part, (data[part] as string).length]));
        const { extensions: cardExtensions, ...dataFields } = data;
        const agentData = { ...pick({ ...dataFields, extensions: cardExtensions }, fixture.keeps.agent), extensions: cardExtensions };
        const personalityData = pick(data, fixture.keeps.personality);
        const roleData = pick(data, fixture.keeps.role);

        expectFieldByField(stored.personality, {
          id,
          name: data.name,
          customInstructions: data.personality,
          ...(fixture.keeps.personality.length > 0 ? { extensions: { card: { data: personalityData } } } : {}),
        }, 'personality');
        for (const trait of PERSONALITY_TRAITS) expect(stored.personality[trait], `trait ${trait} is not invented`).to.equal(undefined);
        expectFieldByField(stored.role, {
          id,
          name: data.name,
          description: '',
          focusAreas: [],
          systemPrompt: fixture.prompt.map((part) => data[part]).join('\n\n'),
          extensions: { card: { ...(promptParts ? { promptParts } : {}), ...(fixture.keeps.role.length > 0 ? { data: roleData } : {}) } },
        }, 'role');
        expectFieldByField(stored.agent, {
          id,
          name: data.name,
          description: data.creator_notes,
          personalityId: id,
          roleId: id,
          color: '#6B7280',
          modelConfig: DEFAULT_MODEL,
          extensions: { card: { data: agentData, ...(fixture.root.length > 0 ? { root: pick(raw, fixture.root) } : {}) } },
        }, 'agent');

        expect(report.format).to.equal('card');
        expect(report.records.map((r) => `${r.kind}:${r.id}`)).to.deep.equal([`personality:${id}`, `role:${id}`, `agent:${id}`]);
        expect(recordOf(report, 'personality').mapped).to.deep.include({ from: 'data.personality', to: 'customInstructions' });
        expect(recordOf(report, 'role').mapped.filter((m) => m.to === 'systemPrompt').map((m) => m.from)).to.deep.equal(fixture.prompt.map((part) => `data.${part}`));
        expect(recordOf(report, 'agent').mapped).to.deep.include.members([{ from: 'data.name', to: 'name' }, { from: 'data.creator_notes', to: 'description' }]);
        expect(recordOf(report, 'personality').kept).to.have.members(fixture.keeps.personality.map((key) => `data.${key}`));
        expect(recordOf(report, 'role').kept).to.have.members(fixture.keeps.role.map((key) => `data.${key}`));
        const extensionKeys = Object.keys(cardExtensions as Json).map((key) => `data.extensions.${key}`);
        expect(recordOf(report, 'agent').kept).to.have.members([...fixture.keeps.agent.map((key) => `data.${key}`), ...extensionKeys, ...fixture.root]);
        expect(recordOf(report, 'agent').defaulted).to.deep.equal([
          { field: 'color', value: '#6B7280', why: 'character cards have no colour' },
          { field: 'modelConfig', value: DEFAULT_MODEL, why: 'character cards name no model' },
        ]);
        for (const record of report.records) expect(record.dropped, `${record.kind} drops nothing`).to.deep.equal([]);
        expect((await env.configuration.resolveAgent(id)).systemPrompt).to.contain(data.personality as string);
      });
    }
  }

  it('a name agentcfg cannot take as it is (too long, blank, no Latin letters, a template\'s id), and a card with no prompt text, get defaults the report names, and still come back as they were', async function () {
    const long = `Ser ${'Aurelian '.repeat(15)}of the 🌕 Isles`;
    const cases = [
      { name: long, id: 'ser-aurelian-aurelian-aurelian-aurelian-aurelian-aurelian-aureli', recordName: long.slice(0, 100), defaultedName: false },
      { name: '  ', id: 'card-2020', recordName: 'Unnamed character', defaultedName: true },
      { name: '深夜', id: `card-${Buffer.from('深夜').toString('hex')}`, recordName: '深夜', defaultedName: false },
      { name: 'Storyteller', id: 'storyteller-2', recordName: 'Storyteller', defaultedName: false },
    ];
    for (const { name, id, recordName, defaultedName } of cases) {
      const card = parseCard({ spec: 'chara_card_v3', data: { name, scenario: ' ', first_mes: 'Hello.' } }, 'made.json');
      const { bundle, report } = cardToBundle(card, 'made.json');
      const env = await fresh();
      await env.configuration.importBundle(bundle);
      const stored = await storedBodies(env, id);
      expect([stored.personality.name, stored.role.name, stored.agent.name], name).to.deep.equal([recordName, recordName, recordName]);
      expect(stored.role.systemPrompt).to.equal('You are {{char}}.');
      expect(recordOf(report, 'role').defaulted).to.deep.include({ field: 'systemPrompt', value: 'You are {{char}}.', why: 'the card gives no system prompt, description or scenario to make it of' });
      expect(recordOf(report, 'role').kept, 'a blank scenario is kept as it was').to.include('data.scenario');
      expect(recordOf(report, 'agent').kept.includes('data.name'), name).to.equal(recordName !== name);
      expect(recordOf(report, 'agent').defaulted.some((d) => d.field === 'name'), name).to.equal(defaultedName);
      const [exported] = bundleToCards(await env.configuration.exportBundle());
      expectSameCard(parseCard(exported?.card, 'exported'), card, name);
    }
  });

  it("Windows line endings are made newlines, and the report says which fields lost their carriage returns", async function () {
    const card = parseCard({ spec: 'chara_card_v2', data: { name: 'Crlf', description: 'Line one.\r\nLine two.', first_mes: 'Hi\r\nthere', extensions: { note: 'a\rb' } } }, 'crlf.json');
    const { bundle, report } = cardToBundle(card, 'crlf.json');
    const env = await fresh();
    await env.configuration.importBundle(bundle);
    const stored = await storedBodies(env, 'crlf');
    expect(stored.role.systemPrompt).to.equal('Line one.\nLine two.');
    expect(stored.agent.extensions).to.deep.equal({ card: { data: { first_mes: 'Hi\nthere', extensions: { note: 'a\nb' } } } });
    expect(recordOf(report, 'role').dropped.map((d) => d.field)).to.deep.equal(['data.description']);
    expect(recordOf(report, 'agent').dropped.map((d) => d.field)).to.deep.equal(['data.first_mes', 'data.extensions.note']);
    expect(recordOf(report, 'agent').dropped[0]?.why).to.match(/carriage returns/);
  });
});

describe('Feature: Card → agentcfg → Card gives back the card, field by field', function () {
  const opened: TestContainer[] = [];
  afterEach(async () => Promise.all(opened.splice(0).map((env) => env.dispose())));

  /** The card made back from a card: imported through the service, exported, made a card again in the same version. */
  async function throughAgentcfg(card: Card): Promise<Json> {
    const env = await createTestContainer();
    opened.push(env);
    await env.configuration.importBundle(cardToBundle(card, 'fixture').bundle);
    const cards = bundleToCards(await env.configuration.exportBundle(), { version: card.version });
    expect(cards.map((c) => c.agentId)).to.deep.equal([cardToBundle(card, 'fixture').report.records[0]?.id]);
    return cards[0]?.card as Json;
  }

  for (const fixture of FIXTURES) {
    it(`${fixture.file}: JSON → records → JSON is the same card, unknown extensions, data keys and top-level keys included`, async function () {
      const card = readFixture(fixture.file, 'json');
      const back = await throughAgentcfg(card);
      const written = JSON.parse(JSON.stringify(back, null, 2)) as Json;
      expectFieldByField(written, rawJson(fixture.file), fixture.file);
      expectFieldByField(written.data as Json, rawJson(fixture.file).data, `${fixture.file}.data`);
      expect((written.data as { extensions: Json }).extensions, 'nothing of agentcfg is added to a card it has nothing to add to').to.not.have.property('agentcfg');
      expectSameCard(parseCardJson(JSON.stringify(back), 'back.json'), card, fixture.file);
    });

    it(`${fixture.file}: PNG → records → PNG is the same card`, async function () {
      const card = readFixture(fixture.file, 'png');
      const back = await throughAgentcfg(card);
      const png = writeCardPng(parseCard(back, 'back'));
      expectSameCard(readCardPng(png, 'back.png'), card, `${fixture.file}.png`);
    });
  }

  it("a role whose prompt was edited after the import comes back whole as the card's system_prompt, nothing lost", async function () {
    const card = readFixture('card-v2', 'json');
    const env = await createTestContainer();
    opened.push(env);
    await env.configuration.importBundle(cardToBundle(card, 'card-v2.json').bundle);
    await env.configuration.updateRole('mira-vance', { systemPrompt: 'Be Mira. Keep the lamp lit.' });
    const back = parseCard(bundleToCards(await env.configuration.exportBundle(), { version: 2 })[0]?.card, 'back');
    expect([back.data.system_prompt, back.data.description, back.data.scenario]).to.deep.equal(['Be Mira. Keep the lamp lit.', '', '']);
    expect(back.data.character_book, 'kept fields still come back').to.deep.equal(card.data.character_book);
  });
});

describe('Feature: agentcfg → Card → agentcfg keeps traits, role and model config', function () {
  const opened: TestContainer[] = [];
  afterEach(async () => Promise.all(opened.splice(0).map((env) => env.dispose())));
  const fresh = async (): Promise<TestContainer> => {
    const env = await createTestContainer();
    opened.push(env);
    return env;
  };

  /** Records made with the service: traits set (some left unset), a role with focus areas, an agent on a connection. */
  async function sourceBundle(): Promise<{ bundle: Bundle; personality: Json; role: Json; agent: Json; connection: Json }> {
    const env = await fresh();
    const connection = await env.configuration.records('connection').create({ id: 'team-proxy', name: 'Team proxy', provider: 'anthropic', baseUrl: 'https://llm.example.com/v1', apiKeyRef: 'env:TEAM_KEY' });
    const personality = await env.configuration.createPersonality({
      id: 'calm-analyst',
      name: 'Calm analyst',
      description: 'Measured and exact.',
      openness: 72,
      conscientiousness: 91,
      neuroticism: 8,
      humor: 35,
      analyticalDepth: 95,
      responseLength: 40,
      customInstructions: 'Quote the figure you rely on.',
      extensions: { team: { squad: 'blue' } },
    });
    const role = await env.configuration.createRole({
      id: 'risk-reviewer',
      name: 'Risk reviewer',
      description: 'Reviews proposals for risk.',
      systemPrompt: 'You review proposals.\n\nName the largest risk first.',
      focusAreas: ['risk', 'cost'],
    });
    const agent = await env.configuration.createAgent({
      id: 'ada',
      name: 'Ada',
      description: 'Reviews the quarterly plans.',
      personalityId: 'calm-analyst',
      roleId: 'risk-reviewer',
      connectionId: 'team-proxy',
      color: '#3366CC',
      modelConfig: { provider: 'anthropic', modelId: 'claude-sonnet-4-0', parameters: { temperature: 0.3, maxTokens: 2048, topP: 0.9 } },
      extensions: { dashboard: { pinned: true } },
    });
    return { bundle: await env.configuration.exportBundle(), personality, role, agent, connection } as never;
  }

  const bodyFields = (record: Json, leaveOut: readonly string[]): Json => Object.fromEntries(Object.entries(withoutManagedFields(record)).filter(([key]) => !['id', ...leaveOut].includes(key)));

  for (const [version, form] of [[3, 'json'], [2, 'json'], [3, 'png']] as const) {
    it(`V${version} ${form}: every field of the personality, role and agent comes back; the connection is kept beside the agent`, async function () {
      const source = await sourceBundle();
      const [exported, ...others] = bundleToCards(source.bundle, { version });
      expect(others).to.deep.equal([]);
      expect(exported?.agentId).to.equal('ada');
      const made = exported?.card as { spec: string; data: Json & { extensions: { agentcfg: Json } } };
      expect(made.spec).to.equal(`chara_card_v${version}`);
      expect(pick(made.data, ['name', 'personality', 'system_prompt', 'creator_notes', 'description', 'scenario'])).to.deep.equal({
        name: 'Ada',
        personality: 'Quote the figure you rely on.',
        system_prompt: 'You review proposals.\n\nName the largest risk first.',
        creator_notes: 'Reviews the quarterly plans.',
        description: '',
        scenario: '',
      });
      expect(made.data.extensions.agentcfg).to.deep.include({
        role: { name: 'Risk reviewer', description: 'Reviews proposals for risk.', focusAreas: ['risk', 'cost'] },
        connection: withoutManagedFields(source.connection),
      });

      const card = form === 'json' ? parseCardJson(JSON.stringify(made), 'ada.json') : readCardPng(writeCardPng(parseCard(made, 'ada')), 'ada.png');
      const { bundle, report } = cardToBundle(card, `ada.${form}`);
      const env = await fresh();
      await env.configuration.importBundle(bundle);
      const stored = await storedBodies(env, 'ada');

      expectFieldByField(bodyFields(stored.personality, []), bodyFields(source.personality, []), 'personality');
      expectFieldByField(bodyFields(stored.role, ['extensions']), bodyFields(source.role, []), 'role');
      expectFieldByField(bodyFields(stored.agent, ['extensions', 'personalityId', 'roleId']), bodyFields(source.agent, ['connectionId', 'extensions', 'personalityId', 'roleId']), 'agent');
      expect(stored.agent.extensions).to.deep.equal({ dashboard: { pinned: true }, card: { connection: withoutManagedFields(source.connection) } });
      expect(stored.role.extensions, 'a prompt that is the card system_prompt alone needs nothing kept').to.equal(undefined);
      for (const trait of PERSONALITY_TRAITS.filter((t) => source.personality[t] === undefined)) expect(stored.personality[trait], `${trait} stays unset`).to.equal(undefined);
      expect(recordOf(report, 'personality').mapped).to.deep.include({ from: 'data.extensions.agentcfg.personality.analyticalDepth', to: 'analyticalDepth' });
      expect(recordOf(report, 'agent').mapped).to.deep.include({ from: 'data.extensions.agentcfg.agent.modelConfig', to: 'modelConfig' });
      expect(recordOf(report, 'agent').defaulted, 'nothing defaulted: the card says it all').to.deep.equal([]);
      expect(recordOf(report, 'agent').kept).to.deep.equal(['data.extensions.agentcfg.connection']);

      const [again] = bundleToCards(await env.configuration.exportBundle(), { version });
      expect(again?.card, 'and the card made again is the same card').to.deep.equal(made);
    });
  }

  it('an agent on a template personality gets its card from the template; one naming a record that is nowhere is refused by path', function () {
    const agent = { id: 'scout', name: 'Scout', personalityId: 'analytical', roleId: 'analyst', color: '#112233', modelConfig: { provider: 'ollama', modelId: 'llama3.1' } };
    const [card] = bundleToCards({ personalities: [], roles: [], connections: [], agents: [agent] });
    const read = parseCard(card?.card, 'scout');
    expect(read.version).to.equal(3);
    expect((read.data.extensions.agentcfg as { personality: Json }).personality).to.include({ name: 'Analytical' });
    const error = validationRefusal(() => bundleToCards({ personalities: [], roles: [], connections: [], agents: [{ ...agent, personalityId: 'nobody' }] }));
    expect(error.details.map((d) => d.path)).to.deep.equal(['agents.0.personalityId']);
    expect(error.message).to.contain("personality 'nobody'");
  });
});

describe('Feature: what a card holds that agentcfg cannot store is dropped with the reason, or refuses the card, never stored half', function () {
  let env: TestContainer;
  beforeEach(async function () {
    env = await createTestContainer();
  });
  afterEach(() => env.dispose());

  const made = (data: Json, extra: Json = {}): Card => parseCard({ spec: 'chara_card_v3', data: { name: 'Hazard', system_prompt: 'Be careful.', ...data }, ...extra }, 'hazard.json');

  it('a kept field past the 16 KiB extensions cap is dropped with the reason; the fields before and after it are kept and the import goes through', async function () {
    const card = made({ first_mes: 'Hi.', extensions: { notes: 'short', huge: 'x'.repeat(17 * 1024), later: { fits: true } }, character_book: { entries: [{ keys: ['k'], content: 'y'.repeat(20 * 1024) }] } });
    const { bundle, report } = cardToBundle(card, 'hazard.json');
    expect(recordOf(report, 'agent').dropped).to.have.length(1);
    expect(recordOf(report, 'agent').dropped[0]).to.deep.include({ field: 'data.extensions.huge' });
    expect(recordOf(report, 'agent').dropped[0]?.why).to.match(/16 KiB/);
    expect(recordOf(report, 'role').dropped.map((d) => d.field)).to.deep.equal(['data.character_book']);
    expect(recordOf(report, 'agent').kept).to.include.members(['data.first_mes', 'data.extensions.notes', 'data.extensions.later']);
    await env.configuration.importBundle(bundle);
    const stored = await storedBodies(env, 'hazard');
    expect(stored.agent.extensions).to.deep.equal({ card: { data: { first_mes: 'Hi.', extensions: { notes: 'short', later: { fits: true } } } } });
    expect(stored.role.extensions).to.equal(undefined);
  });

  it('a kept field holding a credential, by its name or its look, or a control character, is dropped with the path and never the value', async function () {
    const card = made({ extensions: { x_app: { model: 'm', apiKey: 'abc-123' }, notes: `backup key ${KEY}`, bell: 'ding\u0007', safe: 'ok' }, x_secret_note: KEY }, { access_token: 'opaque-value' });
    const { bundle, report } = cardToBundle(card, 'hazard.json');
    const dropped = recordOf(report, 'agent').dropped;
    expect(dropped.map((d) => d.field)).to.deep.equal(['data.extensions.x_app', 'data.extensions.notes', 'data.extensions.bell', 'data.x_secret_note', 'access_token']);
    expect(dropped[0]?.why).to.match(/^data\.extensions\.x_app\.apiKey: field 'apiKey' looks like a credential/);
    expect(dropped[1]?.why).to.match(/looks like an API key \(sk-…\)/);
    expect(dropped[2]?.why).to.match(/control character U\+0007/);
    expect(JSON.stringify(report)).to.not.contain(KEY).and.to.not.contain('abc-123').and.to.not.contain('opaque-value');
    await env.configuration.importBundle(bundle);
    const stored = await storedBodies(env, 'hazard');
    expect(stored.agent.extensions).to.deep.equal({ card: { data: { extensions: { safe: 'ok' } } } });
  });

  it('a credential or control character in text the records take, or wrong agentcfg fields, refuse the card by field, and nothing is stored', async function () {
    const before = await storedRecords(env);
    const cases: [Card, string][] = [
      [made({ system_prompt: `Use ${KEY} for the tools.` }), 'data.system_prompt'],
      [made({ personality: 'calm\u001b[2J' }), 'data.personality'],
      [made({ extensions: { agentcfg: { personality: { openness: 140 } } } }), 'data.extensions.agentcfg.personality.openness'],
      [made({ extensions: { agentcfg: { agent: { modelConfig: { provider: 'mistral', modelId: 'x' } } } } }), 'data.extensions.agentcfg.agent.modelConfig.provider'],
    ];
    for (const [card, path] of cases) {
      const error = validationRefusal(() => cardToBundle(card, 'hazard.json'));
      expect(error.details.map((d) => d.path), path).to.include(path);
      expect(JSON.stringify({ message: error.message, details: error.details })).to.not.contain(KEY);
    }
    expect(await storedRecords(env)).to.deep.equal(before);
  });

  it('the import is all or nothing: a bundle whose agent the service refuses stores no personality or role either', async function () {
    const before = await storedRecords(env);
    const { bundle } = cardToBundle(made({ first_mes: 'Hi.' }), 'hazard.json');
    const agent = bundle.agents[0] as Json;
    const broken = { ...bundle, agents: [{ ...agent, color: 'red' }] };
    const error = await env.configuration.importBundle(broken).then(
      () => expect.fail('expected a refusal'),
      (e: { code: string; details: { path: string }[] }) => e,
    );
    expect(error.code).to.equal('VALIDATION_ERROR');
    expect(await storedRecords(env)).to.deep.equal(before);
    expect(await env.configuration.getPersonality('hazard')).to.equal(null);
  });

  it('a kept field nested deeper than a record may hold is dropped with the reason, and the rest imports', async function () {
    let deep: unknown = 'bottom';
    for (let level = 0; level < 56; level++) deep = [deep];
    const { bundle, report } = cardToBundle(made({ extensions: { deep, flat: 1 } }), 'hazard.json');
    expect(recordOf(report, 'agent').dropped.map((d) => d.field)).to.deep.equal(['data.extensions.deep']);
    expect(recordOf(report, 'agent').dropped[0]?.why).to.match(/nests 56 levels deep/);
    await env.configuration.importBundle(bundle);
    expect((await storedBodies(env, 'hazard')).agent.extensions).to.deep.equal({ card: { data: { extensions: { flat: 1 } } } });
  });
});
