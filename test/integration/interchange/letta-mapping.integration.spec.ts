import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AgentcfgError } from '../../../src/domain/errors/agentcfg-error';
import { MAX_EXTENSIONS_BYTES } from '../../../src/domain/record';
import { readLettaFile, type LettaAgent } from '../../../src/interchange/letta';
import { lettaToBundle } from '../../../src/interchange/letta/to-bundle';
import type { MappedRecord, MappingReport } from '../../../src/interchange/mapping-report';
import { FIXTURES_DIR } from '../../support/fixtures';
import { validationRefusal } from '../../support/refusal';
import { createTestContainer, type TestContainer } from '../../support/test-container';

const DIR = join(FIXTURES_DIR, 'interchange', 'letta');
const SECRET = 'sk-proj-A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6';

type Json = Record<string, unknown>;

function fixture(name: string): string {
  return readFileSync(join(DIR, name), 'utf8');
}

/** A fixture parsed, to change before mapping. */
function fixtureJson(name: string): Json & { agents: Json[]; blocks: Json[]; tools: Json[] } {
  return JSON.parse(fixture(name)) as ReturnType<typeof fixtureJson>;
}

function mapText(text: string, source = 'agent.af'): ReturnType<typeof lettaToBundle> {
  return lettaToBundle(readLettaFile(text, source), source);
}

function recordOf(report: MappingReport, kind: MappedRecord['kind'], id: string): MappedRecord {
  const found = report.records.find((r) => r.kind === kind && r.id === id);
  expect(found, `${kind}:${id} in the report`).to.not.equal(undefined);
  return found as MappedRecord;
}

function lettaOf(record: { extensions?: Json } | null): Json {
  return (record?.extensions?.letta ?? {}) as Json;
}

function expectNamed(error: AgentcfgError, path: string, secret = SECRET): void {
  expect(error.details.map((d) => d.path), error.message).to.include(path);
  expect(JSON.stringify({ message: error.message, details: error.details, context: error.context })).to.not.include(secret);
}

describe('Feature: the agents of a Letta agent file become agentcfg records', function () {
  let env: TestContainer;

  beforeEach(async function () {
    env = await createTestContainer();
  });
  afterEach(() => env.dispose());

  async function importText(text: string, source: string): Promise<MappingReport> {
    const { bundle, report } = mapText(text, source);
    await env.configuration.importBundle(bundle);
    return report;
  }

  it("today's layout: system → role, persona → custom instructions, llm_config → model and connection, the rest kept", async function () {
    const report = await importText(fixture('agent-file.af'), 'support.af');
    expect(await env.configuration.getRole('support-sam')).to.deep.include({ name: 'Support Sam', systemPrompt: "You are Letta, the latest version of Limnal Corporation's digital companion." });
    expect(await env.configuration.getPersonality('support-sam')).to.deep.include({ name: 'Support Sam', customInstructions: 'I am Sam, a patient support agent.\nI never guess.' });
    const agent = await env.configuration.getAgent('support-sam');
    expect(agent).to.deep.include({ description: 'Answers customer questions politely.', connectionId: 'openai-api-openai-com', color: '#6B7280', personalityId: 'support-sam', roleId: 'support-sam' });
    expect(agent?.modelConfig).to.deep.equal({ provider: 'openai', modelId: 'gpt-4o-mini', parameters: { temperature: 0.7, maxTokens: 4096 } });
    expect(await env.configuration.records('connection').get('openai-api-openai-com')).to.deep.include({ provider: 'openai', baseUrl: 'https://api.openai.com/v1' });

    const letta = lettaOf(agent);
    expect(letta).to.deep.include({ id: 'agent-0', layout: 'agent-file', llm_config: { context_window: 32000, provider_name: 'openai', put_inner_thoughts_in_kwargs: true, handle: 'openai/gpt-4o-mini' } });
    expect(letta.blocks).to.deep.equal([
      { id: 'block-0', label: 'human', value: "The human's name is not known yet.", limit: 5000, description: 'What I know about the person I talk to.', metadata: {}, read_only: false },
      { id: 'block-1', label: 'persona', limit: 5000, metadata: {}, read_only: false },
    ]);
    expect((letta.tools as Json[]).map((t) => t.name)).to.deep.equal(['send_message', 'web_search']);
    expect(letta.fields).to.deep.include({ tags: ['support'], agent_type: 'memgpt_v2_agent', tool_rules: [{ tool_name: 'send_message', type: 'exit_loop', prompt_template: null }] });
    // Conversation history is not configuration: never kept.
    expect(JSON.stringify(agent)).to.not.contain('old system prompt');

    expect(report.format).to.equal('letta');
    expect(report.records.map((r) => `${r.kind}:${r.id}`)).to.deep.equal(['personality:support-sam', 'role:support-sam', 'connection:openai-api-openai-com', 'agent:support-sam']);
    const agentReport = recordOf(report, 'agent', 'support-sam');
    expect(agentReport.sourceId).to.equal('agent-0');
    expect(agentReport.mapped).to.deep.include.members([
      { from: 'llm_config.model', to: 'modelConfig.modelId' },
      { from: 'llm_config.model_endpoint_type', to: 'modelConfig.provider' },
      { from: 'llm_config.temperature', to: 'modelConfig.parameters.temperature' },
      { from: 'llm_config.max_tokens', to: 'modelConfig.parameters.maxTokens' },
      { from: 'description', to: 'description' },
    ]);
    expect(agentReport.kept).to.include.members(['id', 'llm_config.context_window', 'blocks[human]', 'blocks[persona] (all but its value)', 'tools[send_message]', 'tools[web_search]', 'tags']);
    expect(agentReport.defaulted).to.deep.equal([{ field: 'color', value: '#6B7280', why: 'Letta agents have no colour' }]);
    expect(recordOf(report, 'personality', 'support-sam').mapped).to.deep.include({ from: 'blocks[persona].value', to: 'customInstructions' });
    expect(recordOf(report, 'connection', 'openai-api-openai-com').defaulted).to.deep.equal([{ field: 'name', value: 'openai at api.openai.com', why: 'Letta endpoints have no name' }]);
    expect(report.records.flatMap((r) => r.dropped)).to.deep.equal([]);
  });

  it("the older flat layout: one agent, its core memory's persona, its tools' environment dropped and said", async function () {
    const report = await importText(fixture('flat.af'), 'memo.af');
    expect(await env.configuration.getPersonality('memo')).to.deep.include({ customInstructions: 'I am Memo. I remember everything you tell me.' });
    const agent = await env.configuration.getAgent('memo');
    expect(agent?.modelConfig).to.deep.equal({ provider: 'anthropic', modelId: 'claude-3-5-sonnet-20241022', parameters: { temperature: 0.2 } });
    expect(agent?.connectionId).to.equal('anthropic-api-anthropic-com');
    expect(await env.configuration.records('connection').get('anthropic-api-anthropic-com')).to.deep.include({ provider: 'anthropic', baseUrl: 'https://api.anthropic.com/v1' });
    const letta = lettaOf(agent);
    expect(letta).to.deep.include({ layout: 'flat' });
    expect(letta.fields).to.deep.include({ version: '0.6.7', created_at: '2025-01-20T09:00:00', agent_type: 'memgpt_agent' });
    expect(letta.fields).to.not.have.property('tool_exec_environment_variables');
    expect((letta.tools as Json[])[0]).to.deep.include({ name: 'send_message', json_schema: { name: 'send_message' } });
    expect(recordOf(report, 'agent', 'memo').dropped).to.deep.equal([{ field: 'tool_exec_environment_variables', why: "the environment a Letta server gives the agent's tools: set it where the agent runs" }]);
  });

  it('a file wrapped in a JSON string, on a local Ollama: its connection, and the temperature it lacks defaulted', async function () {
    const report = await importText(fixture('wrapped.af'), 'wanda.af');
    const agent = await env.configuration.getAgent('wrapped-wanda');
    expect(agent?.modelConfig).to.deep.equal({ provider: 'ollama', modelId: 'llama3.1:8b', parameters: { temperature: 0.7 } });
    expect(await env.configuration.records('connection').get('ollama-localhost-11434')).to.deep.include({ provider: 'ollama', baseUrl: 'http://localhost:11434', name: 'ollama at localhost:11434' });
    expect(recordOf(report, 'agent', 'wrapped-wanda').defaulted).to.deep.include({ field: 'modelConfig.parameters.temperature', value: 0.7, why: 'the file gives no temperature' });
    expect(recordOf(report, 'agent', 'wrapped-wanda').sourceId).to.equal('Wrapped Wanda');
    expect(agent).to.not.have.property('description');
  });

  it('mixed endpoints: one connection per endpoint, OpenAI-compatible and unknown types, a model handle, missing and empty texts, a long name', async function () {
    const report = await importText(fixture('mixed-endpoints.af'), 'mixed.af');
    expect((await env.configuration.records('connection').list()).filter((c) => !c.isTemplate).map((c) => c.id)).to.have.members(['groq-api-groq-com', 'google_ai-generativelanguage-googleapis-com']);
    expect(await env.configuration.records('connection').get('groq-api-groq-com')).to.deep.include({ provider: 'openai-compatible', baseUrl: 'https://api.groq.com/openai/v1', extensions: { letta: { model_endpoint_type: 'groq' } } });
    for (const id of ['groq-greta', 'groq-gus']) expect((await env.configuration.getAgent(id))?.connectionId, id).to.equal('groq-api-groq-com');
    expect((await env.configuration.getAgent('groq-greta'))?.modelConfig).to.deep.equal({ provider: 'openai', modelId: 'llama-3.1-70b-versatile', parameters: { temperature: 0.4, maxTokens: 1024 } });
    expect(recordOf(report, 'agent', 'groq-greta').defaulted.find((d) => d.field === 'modelConfig.provider')?.why).to.contain("'groq' speaks OpenAI's API");
    expect(recordOf(report, 'agent', 'groq-greta').dropped.map((d) => d.field)).to.deep.equal(['tool_exec_environment_variables']);
    expect(lettaOf(await env.configuration.getAgent('groq-gus'))).to.deep.include({ model: 'groq/llama-3.1-8b-instant' });

    const ada = await env.configuration.getAgent('azure-ada');
    expect(ada?.modelConfig).to.deep.include({ provider: 'openai', modelId: 'gpt-4o' });
    expect(ada).to.not.have.property('connectionId');
    expect(lettaOf(ada).llm_config).to.deep.equal({ model_endpoint_type: 'azure', model_endpoint: 'https://example-resource.openai.azure.com' });
    expect(recordOf(report, 'agent', 'azure-ada').defaulted.find((d) => d.field === 'modelConfig.provider')?.why).to.contain("'azure' is not a provider agentcfg runs on");

    expect((await env.configuration.getAgent('handle-hal'))?.modelConfig).to.deep.include({ provider: 'anthropic', modelId: 'claude-sonnet-4-0' });
    expect(await env.configuration.getRole('handle-hal')).to.deep.include({ systemPrompt: 'You are Handle Hal.' });
    expect(recordOf(report, 'role', 'handle-hal').defaulted).to.deep.equal([{ field: 'systemPrompt', value: 'You are Handle Hal.', why: 'the agent has no system prompt' }]);
    expect(await env.configuration.getPersonality('handle-hal')).to.not.have.property('customInstructions');
    expect(lettaOf(await env.configuration.getAgent('handle-hal')).blocks).to.deep.equal([{ label: 'persona', value: '' }, { label: 'human', value: 'Prefers short answers.' }]);

    const gemmaId = 'gemini-gemma-the-research-assistant-who-reads-every-paper-in-the';
    const gemma = await env.configuration.getAgent(gemmaId);
    expect(gemma?.name).to.have.length(100);
    expect(gemma?.modelConfig).to.deep.include({ provider: 'google', modelId: 'gemini-2.5-pro' });
    expect(lettaOf(gemma)).to.deep.include({ name: 'Gemini Gemma, the research assistant who reads every paper in the field before she answers a single question', llm_config: { model_endpoint_type: 'google_ai' } });
  });

  it('a model handle on a provider agentcfg lacks: a default provider, reported, and the handle kept', async function () {
    const file = fixtureJson('mixed-endpoints.af');
    file.agents = [{ ...(file.agents[3] as Json), model: 'letta/letta-free' }];
    const report = await importText(JSON.stringify(file), 'free.af');
    const agent = await env.configuration.getAgent('handle-hal');
    expect(agent?.modelConfig).to.deep.include({ provider: 'openai', modelId: 'letta-free' });
    expect(lettaOf(agent).model).to.equal('letta/letta-free');
    expect(recordOf(report, 'agent', 'handle-hal').defaulted.find((d) => d.field === 'modelConfig.provider')?.why).to.contain("model 'letta' is not a provider agentcfg runs on");
  });

  it('a persona or system prompt too long for its field is dropped whole and reported; the import goes on', async function () {
    const file = JSON.parse(fixture('flat.af')) as Json & { core_memory: Json[] };
    const persona = `I am Memo. ${'p'.repeat(40_000)}`;
    (file.core_memory[0] as Json).value = persona;
    file.system = `You are MemGPT. ${'s'.repeat(40_000)}`;
    const report = await importText(JSON.stringify(file), 'memo.af');
    expect(await env.configuration.getPersonality('memo')).to.not.have.property('customInstructions');
    expect(recordOf(report, 'personality', 'memo').dropped.map((d) => d.field)).to.deep.equal(['blocks[persona].value']);
    expect(recordOf(report, 'personality', 'memo').dropped[0]?.why).to.contain(`is ${persona.length} characters`);
    expect((await env.configuration.getRole('memo'))?.systemPrompt).to.equal('You are memo.');
    expect(recordOf(report, 'role', 'memo').dropped.map((d) => d.field)).to.deep.equal(['system']);
    const stored = JSON.stringify(await env.configuration.getAgent('memo'));
    expect(stored).to.not.contain('pppp');
    expect(lettaOf(await env.configuration.getAgent('memo')).blocks).to.deep.include({ label: 'persona', limit: 5000, created_by_id: null, is_template: false, metadata_: {}, template_name: null });
  });

  it('kept fields past the 16 KiB cap are dropped whole and reported; the rest is stored, never half a field', async function () {
    const file = fixtureJson('agent-file.af');
    (file.tools[1] as Json).source_code = `def web_search():\n${'    pass\n'.repeat(2500)}`;
    (file.blocks[0] as Json).value = 'h'.repeat(MAX_EXTENSIONS_BYTES + 1);
    const report = await importText(JSON.stringify(file), 'big.af');
    const why = `would take the record's extensions past their cap of ${MAX_EXTENSIONS_BYTES} bytes`;
    expect(recordOf(report, 'agent', 'support-sam').dropped).to.deep.equal([
      { field: 'blocks[human]', why },
      { field: 'tools[web_search]', why },
    ]);
    const agent = await env.configuration.getAgent('support-sam');
    expect(Buffer.byteLength(JSON.stringify(agent?.extensions))).to.be.at.most(MAX_EXTENSIONS_BYTES);
    expect(JSON.stringify(agent)).to.not.contain('hhhh').and.to.not.contain('pass');
    const letta = lettaOf(agent);
    expect((letta.tools as Json[]).map((t) => t.name)).to.deep.equal(['send_message']);
    expect((letta.blocks as Json[]).map((b) => b.label)).to.deep.equal(['persona']);
    expect(letta.fields).to.deep.include({ tags: ['support'] });
  });

  it('a credential in any field is refused naming the field, never echoing it', function () {
    const withAgent = (change: (agent: Json) => void): string => {
      const file = fixtureJson('agent-file.af');
      change(file.agents[0] as Json);
      return JSON.stringify(file);
    };
    // Key-like text: the reader refuses it.
    const persona = fixtureJson('agent-file.af');
    (persona.blocks[1] as Json).value = `My key is ${SECRET}`;
    expectNamed(validationRefusal(() => mapText(JSON.stringify(persona))), 'blocks.1.value');
    // Fields named as credentials, a key in an endpoint's query, a value for a tool's environment: the mapping refuses them.
    expectNamed(validationRefusal(() => mapText(withAgent((a) => ((a.llm_config as Json).api_key = 'abc123xyz')))), 'agents.0.llm_config.api_key', 'abc123xyz');
    expectNamed(validationRefusal(() => mapText(withAgent((a) => ((a.llm_config as Json).model_endpoint = 'https://proxy.example.com/v1?api_key=abc123xyz')))), 'agents.0.llm_config.model_endpoint', 'abc123xyz');
    const flat = JSON.parse(fixture('flat.af')) as Json;
    flat.tool_exec_environment_variables = [{ key: 'SERPER_API_KEY', value: 'abc123xyz' }];
    expectNamed(validationRefusal(() => mapText(JSON.stringify(flat))), 'tool_exec_environment_variables.0.value', 'abc123xyz');
    // Agents made in code, not read from a file, are held to the same.
    const agent: LettaAgent = { layout: 'flat', name: 'coded', system: `Use ${SECRET}`, blocks: [], tools: [], extra: {}, source: 'code' };
    expectNamed(validationRefusal(() => lettaToBundle([agent], 'code')), 'system');
  });
});
