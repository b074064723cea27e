import { expect } from 'chai';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import type { AgentcfgError } from '../../../src/domain/errors/agentcfg-error';
import { PERSONALITY_TRAITS } from '../../../src/domain/personality/personality';
import { MAX_EXTENSIONS_BYTES } from '../../../src/domain/record';
import { readCrewAiAgents, type CrewAiAgent } from '../../../src/interchange/crewai';
import { bundleToCrewAi } from '../../../src/interchange/crewai/from-bundle';
import { crewAiToBundle } from '../../../src/interchange/crewai/to-bundle';
import type { MappedRecord, MappingReport } from '../../../src/interchange/mapping-report';
import { FIXTURES_DIR } from '../../support/fixtures';
import { validationRefusal } from '../../support/refusal';
import { createTestContainer, type TestContainer } from '../../support/test-container';

const DIR = join(FIXTURES_DIR, 'interchange', 'crewai');
const SECRET = 'sk-proj-A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6';

function fixture(name: string): string {
  return readFileSync(join(DIR, name), 'utf8');
}

function mapText(text: string, source = 'agents.yaml'): ReturnType<typeof crewAiToBundle> {
  return crewAiToBundle(readCrewAiAgents(text, source), source);
}

function recordOf(report: MappingReport, kind: MappedRecord['kind'], id: string): MappedRecord {
  const found = report.records.find((r) => r.kind === kind && r.id === id);
  expect(found, `${kind}:${id} in the report`).to.not.equal(undefined);
  return found as MappedRecord;
}

function crewAiOf(record: { extensions?: Record<string, unknown> } | null): Record<string, unknown> {
  return (record?.extensions?.crewai ?? {}) as Record<string, unknown>;
}

function expectNamed(error: AgentcfgError, path: string): void {
  expect(error.details.map((d) => d.path), error.message).to.include(path);
  expect(JSON.stringify({ message: error.message, details: error.details, context: error.context })).to.not.include(SECRET);
}

describe('Feature: a CrewAI agents.yaml becomes agentcfg records, and agentcfg agents become agents.yaml', function () {
  let env: TestContainer;

  beforeEach(async function () {
    env = await createTestContainer();
  });
  afterEach(() => env.dispose());

  /** Imports a fixture through the real service; its report. */
  async function importFixture(name: string): Promise<MappingReport> {
    const { bundle, report } = mapText(fixture(name), name);
    await env.configuration.importBundle(bundle);
    return report;
  }

  it("CrewAI's project template becomes a role (CrewAI's own prompt), a name-only personality and an agent per key", async function () {
    const { bundle, report } = mapText(fixture('agents.yaml'), 'crew/agents.yaml');
    const outcome = await env.configuration.importBundle(bundle);
    expect(outcome.result).to.deep.equal({ personalities: 3, roles: 3, connections: 1, agents: 3, conflicts: [] });

    expect(await env.configuration.getRole('researcher')).to.deep.include({
      name: '{topic} Senior Data Researcher',
      description: 'Uncover cutting-edge developments in {topic}',
      systemPrompt:
        "You are {topic} Senior Data Researcher. You're a seasoned researcher with a knack for uncovering the latest developments in {topic}. Known for your ability to find the most relevant information and present it in a clear and concise manner.\nYour personal goal is: Uncover cutting-edge developments in {topic}",
      focusAreas: [],
    });
    const personality = (await env.configuration.getPersonality('researcher')) as unknown as Record<string, unknown>;
    expect(personality.name).to.equal('{topic} Senior Data Researcher');
    // No trait is invented: CrewAI has none.
    expect(PERSONALITY_TRAITS.filter((trait) => personality[trait] !== undefined)).to.deep.equal([]);
    expect(personality.customInstructions).to.equal(undefined);

    const researcher = await env.configuration.getAgent('researcher');
    expect(researcher).to.deep.include({ name: '{topic} Senior Data Researcher', personalityId: 'researcher', roleId: 'researcher', color: '#6B7280' });
    expect(researcher?.modelConfig).to.deep.equal({ provider: 'openai', modelId: 'gpt-4o', parameters: { temperature: 0.7 } });
    expect(crewAiOf(researcher)).to.deep.equal({ key: 'researcher', fields: { tools: ['SerperDevTool', 'ScrapeWebsiteTool'], allow_delegation: false, verbose: true, max_iter: 15 } });

    const analyst = await env.configuration.getAgent('reporting_analyst');
    expect(analyst?.modelConfig).to.deep.include({ provider: 'openai', modelId: 'gpt-4o-mini' });
    expect(crewAiOf(analyst)).to.deep.include({ llm: 'gpt-4o-mini', fields: { tools: ['SerperDevTool', 'ScrapeWebsiteTool'], memory: true } });

    const reviewer = await env.configuration.getAgent('reviewer');
    expect(reviewer).to.deep.include({ connectionId: 'openrouter' });
    expect(reviewer?.modelConfig).to.deep.include({ provider: 'openai', modelId: 'meta-llama/llama-3.1-70b-instruct' });
    expect(await env.configuration.records('connection').get('openrouter')).to.deep.include({ provider: 'openai-compatible', baseUrl: 'https://openrouter.ai/api/v1', extensions: { crewai: { provider: 'openrouter' } } });
    expect((await env.configuration.resolveAgent('researcher')).systemPrompt).to.contain('Your personal goal is: Uncover cutting-edge developments in {topic}');

    expect(report.format).to.equal('crewai');
    expect(report.source).to.equal('crew/agents.yaml');
    expect(report.records.map((r) => `${r.kind}:${r.id}`)).to.have.members([
      'personality:researcher', 'role:researcher', 'agent:researcher',
      'personality:reporting_analyst', 'role:reporting_analyst', 'agent:reporting_analyst',
      'personality:reviewer', 'role:reviewer', 'agent:reviewer', 'connection:openrouter',
    ]);
    expect(recordOf(report, 'role', 'researcher').mapped).to.deep.include({ from: 'role, goal, backstory', to: 'systemPrompt' });
    expect(recordOf(report, 'role', 'researcher').kept).to.include('whitespace around role, goal, backstory');
    const analystReport = recordOf(report, 'agent', 'reporting_analyst');
    expect(analystReport.kept).to.include.members(['key', 'llm', 'tools', 'memory']);
    expect(analystReport.defaulted.find((d) => d.field === 'modelConfig.provider')?.why).to.contain('names no provider');
    expect(recordOf(report, 'agent', 'researcher').defaulted).to.deep.include({ field: 'color', value: '#6B7280', why: 'CrewAI agents have no colour' });
    expect(recordOf(report, 'agent', 'researcher').kept).to.include.members(['key', 'tools', 'allow_delegation', 'verbose', 'max_iter']);
    expect(recordOf(report, 'connection', 'openrouter').defaulted.map((d) => d.field)).to.have.members(['name', 'baseUrl']);
    expect(report.records.flatMap((r) => r.dropped)).to.deep.equal([]);
  });

  it('every kind of llm: bare ids, LiteLLM prefixes, routed and unknown providers, none at all; keys that clean up alike or name a template', async function () {
    const report = await importFixture('mixed-llms.yaml');
    const model = async (id: string) => (await env.configuration.getAgent(id))?.modelConfig;

    expect(await model('lead_writer')).to.deep.include({ provider: 'anthropic', modelId: 'claude-3-5-haiku-latest' });
    expect(recordOf(report, 'agent', 'lead_writer').sourceId).to.equal('Lead_Writer');
    expect(await model('lead_writer-2')).to.deep.include({ provider: 'google', modelId: 'gemini-2.0-flash' });
    expect(recordOf(report, 'agent', 'lead_writer-2').sourceId).to.equal('lead_writer');
    expect(crewAiOf(await env.configuration.getAgent('lead_writer-2'))).to.not.have.property('llm');

    expect(await model('planner')).to.deep.include({ provider: 'openai', modelId: 'gpt-4o-mini' });
    expect(crewAiOf(await env.configuration.getAgent('planner')).llm).to.equal(null);
    expect(recordOf(report, 'agent', 'planner').defaulted.map((d) => d.field)).to.include.members(['modelConfig.provider', 'modelConfig.modelId']);
    const planner = await env.configuration.getRole('planner');
    expect(planner?.name).to.have.length(100);
    expect(planner?.name.endsWith('…')).to.equal(true);
    expect(crewAiOf(planner).role).to.have.length.above(100);

    // 'analyst' is a role template's id: the import takes the next free one instead of a CONFLICT.
    expect(recordOf(report, 'agent', 'analyst-2').sourceId).to.equal('analyst');
    expect(await env.configuration.getAgent('analyst-2')).to.deep.include({ connectionId: 'groq' });
    expect(await model('analyst-2')).to.deep.include({ provider: 'openai', modelId: 'llama-3.1-70b-versatile' });
    expect(await env.configuration.getRole('analyst-2')).to.deep.include({ name: 'Data Analyst', extensions: { crewai: { role: 'Data Analyst', goal: 'Find the numbers that matter', whitespace: { role: ['  ', ' '], backstory: ['', '\n\n'] } } } });
    expect(crewAiOf(await env.configuration.getAgent('analyst-2')).fields).to.deep.equal({ allow_delegation: false, knowledge: { sources: ['annual-report.pdf', 'survey.csv'], refresh: 'weekly' } });

    expect(await model('cloud_helper')).to.deep.include({ provider: 'openai', modelId: 'gpt-4o' });
    expect(crewAiOf(await env.configuration.getAgent('cloud_helper')).llm).to.equal('azure/gpt-4o');
    expect(recordOf(report, 'agent', 'cloud_helper').defaulted.find((d) => d.field === 'modelConfig.provider')?.why).to.contain("provider 'azure' is not one agentcfg runs on");
    expect(await model('local_helper')).to.deep.include({ provider: 'google', modelId: 'gemini-1.5-pro' });
    expect(crewAiOf(await env.configuration.getAgent('local_helper')).llm).to.equal('google/gemini-1.5-pro');
  });

  for (const name of ['agents.yaml', 'mixed-llms.yaml']) {
    it(`round trip of ${name}: CrewAI → agentcfg (import, export) → CrewAI gives every agent back field by field`, async function () {
      await importFixture(name);
      const exported = bundleToCrewAi(await env.configuration.exportBundle());
      const original = parse(fixture(name)) as Record<string, Record<string, unknown>>;
      const back = parse(exported) as Record<string, Record<string, unknown>>;
      expect(Object.keys(back)).to.have.members(Object.keys(original));
      for (const [key, entry] of Object.entries(original)) expect(back[key], key).to.deep.equal(entry);
      // What is written reads back as CrewAI.
      const strip = (agents: CrewAiAgent[]) => agents.map(({ source: _source, ...agent }) => agent);
      expect(strip(readCrewAiAgents(exported, 'out.yaml'))).to.have.deep.members(strip(readCrewAiAgents(fixture(name), name)));
    });
  }

  it('an export follows edits made in agentcfg: a new model, goal or name is written, the backstory still found', async function () {
    await importFixture('mixed-llms.yaml');
    await env.configuration.updateAgent('cloud_helper', { modelConfig: { provider: 'anthropic', modelId: 'claude-sonnet-4-0' } });
    await env.configuration.updateAgent('planner', { modelConfig: { provider: 'openai', modelId: 'gpt-4.1' } });
    await env.configuration.updateRole('lead_writer', { name: 'Chief Writer', description: 'Write the lead story' });
    const back = parse(bundleToCrewAi(await env.configuration.exportBundle())) as Record<string, Record<string, unknown>>;
    expect(back.cloud_helper?.llm).to.equal('anthropic/claude-sonnet-4-0');
    expect(back.planner?.llm).to.equal('openai/gpt-4.1');
    expect(back.Lead_Writer).to.deep.include({ role: 'Chief Writer', goal: 'Write the lead story', backstory: 'Wrote for newspapers for twenty years.' });
    // Untouched agents are as they were.
    expect(back.local_helper?.llm).to.equal('google/gemini-1.5-pro');
  });

  it('round trip holds for any texts, llms, tools and other keys (property, without the store)', function () {
    const text = fc.string({ unit: fc.constantFrom('a', 'Z', ' ', '\n', '\t', '.', '{', '}', ':', '#', '-', 'é', '😀'), minLength: 1, maxLength: 130 }).filter((t) => /\S/.test(t));
    const entry = fc.record(
      {
        role: text,
        goal: text,
        backstory: text,
        llm: fc.constantFrom('openai/gpt-4o', 'gpt-4o-mini', 'claude-3-5-haiku-latest', 'gemini/gemini-2.0-flash', 'google/gemini-1.5-pro', 'groq/llama3-8b', 'azure/gpt-4o', 'ollama_chat/mistral', 'openrouter/a/b', 'constructor/x'),
        tools: fc.array(fc.stringMatching(/^[A-Z][A-Za-z]{0,12}$/), { maxLength: 4 }),
        allow_delegation: fc.boolean(),
        x_other: fc.oneof(fc.integer(), fc.boolean(), fc.constant('text'), fc.dictionary(fc.stringMatching(/^[a-j]{1,5}$/), fc.integer(), { maxKeys: 3 })),
      },
      { requiredKeys: ['role', 'goal', 'backstory'] },
    );
    const key = fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,12}$/).filter((k) => !['__proto__', 'constructor', 'prototype'].includes(k));
    const crew = fc.dictionary(key, entry, { minKeys: 1, maxKeys: 4 });
    fc.assert(
      fc.property(crew, (agents) => {
        const yaml = stringify(agents);
        const back = parse(bundleToCrewAi(mapText(yaml).bundle)) as unknown;
        expect(back).to.deep.equal(parse(yaml));
      }),
      { numRuns: 150 },
    );
  });

  it('a credential in any field is refused naming the field, never echoing it: text, a credential-named key, a nested one', function () {
    const writer = (lines: string) => `writer:\n  role: Writer\n  goal: Write well\n  backstory: Wrote a lot.\n${lines}`;
    // The reader refuses key-like text; the mapping refuses fields named as credentials, which read as plain text.
    expectNamed(validationRefusal(() => mapText(writer(`  notes: "use ${SECRET}"\n`))), 'writer.notes');
    expectNamed(validationRefusal(() => mapText(writer('  api_key: abc123\n'))), 'writer.api_key');
    expectNamed(validationRefusal(() => mapText(writer('  embedder:\n    provider: openai\n    config:\n      api_key: abc123\n'))), 'writer.embedder.config.api_key');
    // Agents made in code, not read from a file, are held to the same.
    const agent: CrewAiAgent = { key: 'writer', role: 'Writer', goal: 'Write well', backstory: `My key is ${SECRET}`, extra: {}, source: 'code' };
    expectNamed(validationRefusal(() => crewAiToBundle([agent], 'code')), 'writer.backstory');
    expectNamed(validationRefusal(() => crewAiToBundle([{ ...agent, backstory: 'Fine.', extra: { settings: { token: 'abc' } } }], 'code')), 'writer.settings.token');
  });

  it('kept fields past the 16 KiB cap, or nested too deep to store, are dropped whole and reported; the rest is stored, never half a field', async function () {
    const notes = 'n'.repeat(MAX_EXTENSIONS_BYTES);
    let deep: unknown = 1;
    for (let level = 0; level < 58; level += 1) deep = { a: deep };
    const yaml = stringify({ writer: { role: 'Writer', goal: 'Write well', backstory: 'Wrote a lot.', tools: ['FileReadTool'], notes, deep, max_iter: 3 } });
    const { bundle, report } = mapText(yaml);
    expect(recordOf(report, 'agent', 'writer').dropped).to.deep.equal([
      { field: 'notes', why: `would take the record's extensions past their cap of ${MAX_EXTENSIONS_BYTES} bytes` },
      { field: 'deep', why: 'nests too deeply to keep (extensions may be at most 56 levels deep)' },
    ]);
    await env.configuration.importBundle(bundle);
    const stored = await env.configuration.getAgent('writer');
    expect(Buffer.byteLength(JSON.stringify(stored?.extensions))).to.be.at.most(MAX_EXTENSIONS_BYTES);
    expect(JSON.stringify(stored)).to.not.contain('nnnn');
    expect(crewAiOf(stored).fields).to.deep.equal({ tools: ['FileReadTool'], max_iter: 3 });
    expect(parse(bundleToCrewAi(await env.configuration.exportBundle()))).to.deep.equal({ writer: { role: 'Writer', goal: 'Write well', backstory: 'Wrote a lot.', tools: ['FileReadTool'], max_iter: 3 } });
  });

  it("texts longer than agentcfg's fields: the description holds the goal's start, the prompt the backstory alone; both come back whole", async function () {
    const goal = `Goal ${'g'.repeat(2500)}`;
    const backstory = `Story ${'s'.repeat(32_000)}`;
    const { bundle, report } = mapText(stringify({ writer: { role: 'Writer', goal, backstory } }));
    await env.configuration.importBundle(bundle);
    const role = await env.configuration.getRole('writer');
    expect(role?.description).to.have.length(2000);
    expect(role?.systemPrompt).to.equal(backstory);
    expect(recordOf(report, 'role', 'writer').mapped).to.deep.include({ from: 'backstory', to: 'systemPrompt' });
    expect(parse(bundleToCrewAi(await env.configuration.exportBundle()))).to.deep.equal({ writer: { role: 'Writer', goal, backstory } });
  });

  it('an agent whose role the bundle lacks cannot be written, and says which', function () {
    const { bundle } = mapText(fixture('agents.yaml'));
    const error = validationRefusal(() => bundleToCrewAi({ ...bundle, roles: bundle.roles.filter((r) => r.id !== 'reviewer') }));
    expect(error.details).to.deep.equal([{ path: 'agents.2.roleId', message: "names role 'reviewer', which the bundle does not hold" }]);
  });
});
