import { expect } from 'chai';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isAgentcfgError, type AgentcfgError } from '../../../src/domain/errors/agentcfg-error';
import { ErrorCode } from '../../../src/domain/errors/error-code';
import { readLettaFile } from '../../../src/interchange/letta';
import { MAX_IMPORT_BYTES } from '../../../src/interchange/limits';
import { FIXTURES_DIR } from '../../support/fixtures';
import { validationRefusal } from '../../support/refusal';

const DIR = join(FIXTURES_DIR, 'interchange', 'letta');
const SECRET = 'sk-proj-A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6';

function text(file: string): string {
  return readFileSync(join(DIR, file), 'utf8');
}
function agentFile(): { agents: Record<string, unknown>[]; blocks: Record<string, unknown>[]; tools: Record<string, unknown>[] } & Record<string, unknown> {
  return JSON.parse(text('agent-file.af')) as ReturnType<typeof agentFile>;
}

const refusal = validationRefusal;

function refusalOf(value: unknown): AgentcfgError {
  return refusal(() => readLettaFile(typeof value === 'string' ? value : JSON.stringify(value), 'agent.af'));
}

function expectNamed(error: AgentcfgError, path: string, secret?: string): void {
  expect(error.details.map((d) => d.path), error.message).to.include(path);
  if (secret !== undefined) expect(JSON.stringify({ message: error.message, details: error.details, context: error.context })).to.not.include(secret);
}

describe('Feature: reading a Letta agent file (.af)', function () {
  it("reads today's layout: blocks and tools resolved by id, persona found, llm_config typed, other keys kept", function () {
    const [agent, ...more] = readLettaFile(text('agent-file.af'), 'support.af');
    expect(more).to.deep.equal([]);
    expect(agent).to.deep.include({
      layout: 'agent-file',
      id: 'agent-0',
      name: 'Support Sam',
      system: "You are Letta, the latest version of Limnal Corporation's digital companion.",
      description: 'Answers customer questions politely.',
      persona: 'I am Sam, a patient support agent.\nI never guess.',
      source: 'support.af',
    });
    expect(agent?.blocks).to.deep.equal([
      { id: 'block-0', label: 'human', value: "The human's name is not known yet.", limit: 5000, description: 'What I know about the person I talk to.', extra: { metadata: {}, read_only: false } },
      { id: 'block-1', label: 'persona', value: 'I am Sam, a patient support agent.\nI never guess.', limit: 5000, extra: { metadata: {}, read_only: false } },
    ]);
    expect(agent?.llmConfig).to.deep.equal({
      model: 'gpt-4o-mini',
      modelEndpointType: 'openai',
      modelEndpoint: 'https://api.openai.com/v1',
      temperature: 0.7,
      maxTokens: 4096,
      contextWindow: 32000,
      extra: { provider_name: 'openai', put_inner_thoughts_in_kwargs: true, handle: 'openai/gpt-4o-mini' },
    });
    expect(agent?.tools.map((t) => [t.id, t.name, t.description])).to.deep.equal([
      ['tool-0', 'send_message', 'Sends a message to the human user.'],
      ['tool-1', 'web_search', undefined],
    ]);
    expect(agent?.tools[1]?.extra).to.deep.equal({ tool_type: 'letta_builtin', json_schema: { name: 'web_search', parameters: { type: 'object', properties: {} } } });
    expect(Object.keys(agent?.extra ?? {})).to.deep.equal(['source_ids', 'folder_ids', 'tool_rules', 'tags', 'agent_type', 'embedding_config', 'metadata', 'message_buffer_autoclear', 'enable_sleeptime']);
  });

  it('leaves the message history out: neither kept nor checked (it is conversation, not configuration)', function () {
    const [agent] = readLettaFile(text('agent-file.af'), 'support.af');
    // The fixture's history holds a CR, which configuration text may not; it is not read at all.
    expect(agent?.extra).to.not.have.any.keys('messages', 'in_context_message_ids');
  });

  it('reads the older flat layout: core_memory blocks, tool definitions inline', function () {
    expect(readLettaFile(text('flat.af'), 'memo.af')).to.deep.equal([
      {
        layout: 'flat',
        name: 'memo',
        system: "You are MemGPT, the latest version of Limnal Corporation's digital companion.",
        description: 'A helpful assistant with long-term memory.',
        persona: 'I am Memo. I remember everything you tell me.',
        blocks: [
          { label: 'persona', value: 'I am Memo. I remember everything you tell me.', limit: 5000, extra: { created_by_id: null, is_template: false, metadata_: {}, template_name: null } },
          { label: 'human', value: 'First name: Chad', limit: 5000, extra: {} },
        ],
        llmConfig: { model: 'claude-3-5-sonnet-20241022', modelEndpointType: 'anthropic', modelEndpoint: 'https://api.anthropic.com/v1', temperature: 0.2, contextWindow: 200000, extra: { model_wrapper: null } },
        tools: [
          { name: 'send_message', description: 'Sends a message to the human user.', extra: { source_type: 'python', tags: ['letta_core'], json_schema: { name: 'send_message' } } },
          { name: 'core_memory_append', description: 'Append to the contents of core memory.', extra: {} },
        ],
        extra: {
          agent_type: 'memgpt_agent',
          created_at: '2025-01-20T09:00:00',
          embedding_config: { embedding_endpoint_type: 'openai', embedding_model: 'text-embedding-ada-002', embedding_dim: 1536 },
          message_buffer_autoclear: false,
          metadata_: null,
          multi_agent_group: null,
          tags: [],
          tool_exec_environment_variables: [],
          tool_rules: [{ tool_name: 'send_message', type: 'TerminalToolRule' }],
          updated_at: '2025-01-21T10:00:00',
          version: '0.6.7',
        },
        source: 'memo.af',
      },
    ]);
  });

  it('unwraps a file that is a JSON string holding the JSON, once; inline blocks join the ones named by id', function () {
    expect(readLettaFile(text('wrapped.af'), 'wanda.af')).to.deep.equal([
      {
        layout: 'agent-file',
        name: 'Wrapped Wanda',
        system: 'You are Wanda.',
        persona: 'I am Wanda, wrapped once.',
        blocks: [
          { id: 'b-1', label: 'persona', value: 'I am Wanda, wrapped once.', extra: {} },
          { label: 'human', value: 'Unknown.', extra: {} },
        ],
        llmConfig: { model: 'llama3.1:8b', modelEndpointType: 'ollama', modelEndpoint: 'http://localhost:11434', contextWindow: 8192, extra: {} },
        tools: [],
        extra: {},
        source: 'wanda.af',
      },
    ]);
    expect(refusalOf(JSON.stringify(text('wrapped.af'))).message).to.include('wrapped more than once');
    expect(refusalOf(JSON.stringify('{"agents": [')).message).to.include('the JSON string it holds is not valid JSON');
  });

  it('leaves persona unset for an agent with no persona block', function () {
    const file = agentFile();
    Object.assign(file.agents[0] ?? {}, { block_ids: ['block-0'] });
    const [agent] = readLettaFile(JSON.stringify(file), 'a.af');
    expect(agent).to.not.have.property('persona');
    expect(agent?.blocks.map((b) => b.label)).to.deep.equal(['human']);
  });

  it('refuses dangling references, wrong types and missing fields, naming each path', function () {
    const cases: [(file: ReturnType<typeof agentFile>) => void, string][] = [
      [(f) => Object.assign(f.agents[0] ?? {}, { block_ids: ['block-0', 'block-9'] }), 'agents.0.block_ids.1'],
      [(f) => Object.assign(f.agents[0] ?? {}, { tool_ids: ['tool-7'] }), 'agents.0.tool_ids.0'],
      [(f) => Object.assign((f.agents[0] as { llm_config: object }).llm_config, { temperature: 'hot' }), 'agents.0.llm_config.temperature'],
      [(f) => Object.assign((f.agents[0] as { llm_config: object }).llm_config, { context_window: -1 }), 'agents.0.llm_config.context_window'],
      [(f) => delete (f.agents[0] as { llm_config: { model?: string } }).llm_config.model, 'agents.0.llm_config.model'],
      [(f) => delete f.agents[0]?.name, 'agents.0.name'],
      [(f) => Object.assign(f.agents[0] ?? {}, { system: 42 }), 'agents.0.system'],
      [(f) => Object.assign(f.blocks[1] ?? {}, { value: ['not', 'text'] }), 'blocks.1.value'],
      [(f) => delete f.blocks[0]?.id, 'blocks.0.id'],
      [(f) => Object.assign(f, { agents: [] }), 'agents'],
      [(f) => Object.assign(f, { tools: 'send_message' }), 'tools'],
    ];
    for (const [change, path] of cases) {
      const file = agentFile();
      change(file);
      expectNamed(refusalOf(file), path);
    }
    const flat = JSON.parse(text('flat.af')) as { core_memory: Record<string, unknown>[] };
    Object.assign(flat.core_memory[0] ?? {}, { limit: 'big' });
    expectNamed(refusalOf(flat), 'core_memory.0.limit');
  });

  it('refuses credentials in blocks, prompts and endpoints, naming the field without echoing it', function () {
    const inPersona = agentFile();
    Object.assign(inPersona.blocks[1] ?? {}, { value: `My key: ${SECRET}` });
    expectNamed(refusalOf(inPersona), 'blocks.1.value', SECRET);
    const inSystem = agentFile();
    Object.assign(inSystem.agents[0] ?? {}, { system: `Use ${SECRET}` });
    expectNamed(refusalOf(inSystem), 'agents.0.system', SECRET);
    const password = 'hunter2-Very-Secret';
    const inEndpoint = agentFile();
    Object.assign((inEndpoint.agents[0] as { llm_config: object }).llm_config, { model_endpoint: `https://me:${password}@api.example.com/v1` });
    expectNamed(refusalOf(inEndpoint), 'agents.0.llm_config.model_endpoint', password);
    expect(JSON.stringify(refusalOf(`{"agents":[{"name":"${SECRET}`))).to.not.include(SECRET);
  });

  it('refuses what is no Letta file, prototype-pollution keys and files over 10 MB', function () {
    expect(refusalOf({ title: 'hello' }).message).to.include('is not a Letta agent file');
    expect(refusalOf([1, 2]).message).to.include('is not a Letta agent file');
    expect(refusalOf('{"name":"x","core_memory":[],"__proto__":{"polluted":true}}').message).to.include('__proto__');
    expect(refusalOf(`{"name":"x","core_memory":[],"pad":"${'x'.repeat(MAX_IMPORT_BYTES)}"}`).message).to.include('too large');
  });

  it('never lets random JSON or text escape as anything but a ValidationError (fast-check, 300 runs)', function () {
    const agentish = fc.dictionary(
      fc.constantFrom('name', 'system', 'description', 'block_ids', 'tool_ids', 'tools', 'llm_config', 'memory_blocks', 'core_memory', 'model'),
      fc.jsonValue({ maxDepth: 2 }),
    );
    const body = fc.oneof(
      fc.json({ maxDepth: 4 }),
      fc.string(),
      fc.record({ agents: fc.array(agentish, { maxLength: 2 }), blocks: fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 3 }) }).map((v) => JSON.stringify(v)),
      agentish.map((v) => JSON.stringify({ name: 'n', core_memory: [], ...v })),
      fc.json({ maxDepth: 3 }).map((v) => JSON.stringify(v)),
    );
    fc.assert(
      fc.property(body, (value) => {
        try {
          readLettaFile(value, 'random.af');
        } catch (error) {
          if (!isAgentcfgError(error) || error.code !== ErrorCode.VALIDATION_ERROR) throw error;
        }
      }),
      { numRuns: 300, seed: 20260614 },
    );
  });
});
