import { AGENT_LIMITS } from '../../domain/agent/agent';
import type { Bundle } from '../../domain/bundle';
import { PERSONALITY_LIMITS } from '../../domain/personality/personality';
import { ROLE_LIMITS } from '../../domain/role/role';
import { printable } from '../../domain/validation/text-hygiene';
import { DEFAULT_AGENT_COLOUR } from '../agent-colour';
import { bundleOfAgents, type MadeRecord } from '../agents-bundle';
import { clip } from '../clip-text';
import { ImportIds } from '../import-ids';
import { KeptExtensions } from '../kept-extensions';
import type { MappedRecord, MappingReport } from '../mapping-report';
import { assertSafeSource } from '../source-guard';
import { modelOf, type LettaModel } from './model';
import { SECRET_CARRIERS, carriedSecrets } from './secret-carriers';
import { agentView, blockView, llmConfigView, toolView } from './source-view';
import type { LettaAgent } from './types';

type Endpoint = NonNullable<LettaModel['endpoint']>;

function reportOf(kind: MappedRecord['kind'], id: string, agent: LettaAgent): MappedRecord {
  const sourceId = agent.id ?? agent.name;
  return { kind, id, ...(id === sourceId ? {} : { sourceId }), mapped: [{ from: 'name', to: 'id' }, { from: 'name', to: 'name' }], kept: [], dropped: [], defaulted: [] };
}

/** Refuses an agent carrying a credential: a secret in its tools' environment, or anywhere else (see assertSafeSource). */
function refuseUnsafe(agent: LettaAgent, index: number, source: string): void {
  const path = agent.layout === 'agent-file' ? ['agents', String(index)] : [];
  const secrets = SECRET_CARRIERS.flatMap((key) => carriedSecrets(agent.extra[key], [...path, key]));
  // The carriers' `key` fields name variables, not keys: they are checked above, not by name.
  const extra = Object.fromEntries(Object.entries(agent.extra).filter(([key]) => !SECRET_CARRIERS.includes(key)));
  assertSafeSource(agentView({ ...agent, extra }), path, `Letta agent '${printable(agent.name)}' (${printable(source)})`, source, secrets);
}

/** The persona block's text as custom instructions, when it has some that fit. */
function personalityOf(agent: LettaAgent, id: string, name: string): MadeRecord & { personaTaken: boolean } {
  const report = reportOf('personality', id, agent);
  const persona = agent.persona ?? '';
  const fits = persona.length <= PERSONALITY_LIMITS.customInstructions;
  // An empty persona stays in its block (the block is kept whole), so custom instructions stay unset.
  const taken = persona.trim() !== '' && fits;
  if (taken) report.mapped.push({ from: 'blocks[persona].value', to: 'customInstructions' });
  if (!fits) {
    const why = `is ${persona.length} characters; customInstructions holds at most ${PERSONALITY_LIMITS.customInstructions} and extensions far less: shorten the persona and import again`;
    report.dropped.push({ field: 'blocks[persona].value', why });
  }
  return { body: { id, name, ...(taken ? { customInstructions: persona } : {}) }, report, personaTaken: taken || !fits };
}

/** The system prompt as the role's; a stand-in the report names when there is none that fits. */
function roleOf(agent: LettaAgent, id: string, name: string): MadeRecord {
  const report = reportOf('role', id, agent);
  const system = agent.system ?? '';
  if (system.trim() !== '' && system.length <= ROLE_LIMITS.systemPrompt) {
    report.mapped.push({ from: 'system', to: 'systemPrompt' });
    return { body: { id, name, systemPrompt: system }, report };
  }
  const tooLong = system.length > ROLE_LIMITS.systemPrompt;
  if (tooLong) report.dropped.push({ field: 'system', why: `is ${system.length} characters; a role's systemPrompt holds at most ${ROLE_LIMITS.systemPrompt} and extensions far less` });
  const systemPrompt = `You are ${name}.`;
  report.defaulted.push({ field: 'systemPrompt', value: systemPrompt, why: tooLong ? 'the system prompt is too long to keep' : 'the agent has no system prompt' });
  return { body: { id, name, systemPrompt }, report };
}

/** Everything of the agent agentcfg has no field for, into `extensions.letta`, field by field within the cap. */
function keepRest(agent: LettaAgent, model: LettaModel, personaTaken: boolean, kept: KeptExtensions, report: MappedRecord): void {
  if (agent.id !== undefined) kept.keep('id', ['id'], agent.id);
  kept.note(['layout'], agent.layout);
  if (agent.name.length > AGENT_LIMITS.name) kept.keep(`name (whole: a name holds ${AGENT_LIMITS.name} characters)`, ['name'], agent.name);
  if (agent.description !== undefined && agent.description.length > AGENT_LIMITS.description) kept.keep('description', ['description'], agent.description);
  const config = agent.llmConfig ? llmConfigView(agent.llmConfig) : {};
  const onRecord = ['model', 'temperature', 'max_tokens', ...(model.endpoint ? ['model_endpoint'] : [])];
  // The endpoint type is kept unless the provider says it exactly (google_ai, groq and azure are kept).
  if (config.model_endpoint_type === model.modelConfig.provider) onRecord.push('model_endpoint_type');
  for (const [field, value] of Object.entries(config)) if (!onRecord.includes(field)) kept.keep(`llm_config.${field}`, ['llm_config', field], value);
  // The handle is kept unless it gave the model exactly (an unknown provider in it would be lost otherwise).
  const { provider, modelId } = model.modelConfig;
  if (agent.model !== undefined && (agent.llmConfig || agent.model !== `${provider}/${modelId}`)) kept.keep('model', ['model'], agent.model);
  const persona = agent.blocks.find((b) => b.label === 'persona');
  agent.blocks.forEach((block, index) => {
    const { value, ...rest } = blockView(block);
    if (block === persona && personaTaken) kept.append('blocks[persona] (all but its value)', ['blocks'], rest);
    else kept.append(`blocks[${block.label ?? index}]`, ['blocks'], { ...rest, value });
  });
  for (const tool of agent.tools) kept.append(`tools[${tool.name}]`, ['tools'], toolView(tool));
  for (const [field, value] of Object.entries(agent.extra)) {
    if (SECRET_CARRIERS.includes(field)) report.dropped.push({ field, why: "the environment a Letta server gives the agent's tools: set it where the agent runs" });
    else kept.keep(field, ['fields', field], value);
  }
}

function agentOf(agent: LettaAgent, id: string, name: string, personaTaken: boolean, connectionId: (endpoint: Endpoint) => string): MadeRecord {
  const report = reportOf('agent', id, agent);
  const model = modelOf(agent);
  report.mapped.push(...model.mapped);
  report.defaulted.push(...model.defaulted, { field: 'color', value: DEFAULT_AGENT_COLOUR, why: 'Letta agents have no colour' });
  const description = agent.description !== undefined && agent.description.length <= AGENT_LIMITS.description ? { description: agent.description } : {};
  if (description.description !== undefined) report.mapped.push({ from: 'description', to: 'description' });
  const kept = new KeptExtensions(report, { scope: 'letta' });
  keepRest(agent, model, personaTaken, kept, report);
  const extensions = kept.extensions();
  return {
    body: {
      id,
      name,
      ...description,
      personalityId: id,
      roleId: id,
      ...(model.endpoint ? { connectionId: connectionId(model.endpoint) } : {}),
      color: DEFAULT_AGENT_COLOUR,
      modelConfig: model.modelConfig,
      ...(extensions ? { extensions } : {}),
    },
    report,
  };
}

/** One connection per endpoint the agents use, named after its type and host (Letta gives endpoints no name). */
function connectionOf(endpoint: Endpoint, id: string): MadeRecord {
  const name = clip(`${endpoint.type} at ${new URL(endpoint.baseUrl).host}`, 100);
  const report: MappedRecord = {
    kind: 'connection',
    id,
    mapped: [
      { from: 'llm_config.model_endpoint', to: 'baseUrl' },
      { from: 'llm_config.model_endpoint_type', to: 'provider' },
    ],
    kept: [],
    dropped: [],
    defaulted: [{ field: 'name', value: name, why: 'Letta endpoints have no name' }],
  };
  const kept = new KeptExtensions(report, { scope: 'letta' });
  if (endpoint.type !== endpoint.provider) kept.keep('llm_config.model_endpoint_type', ['model_endpoint_type'], endpoint.type);
  const extensions = kept.extensions();
  return { body: { id, name, provider: endpoint.provider, baseUrl: endpoint.baseUrl, ...(extensions ? { extensions } : {}) }, report };
}

/**
 * What the agents of a Letta agent file become in agentcfg: per agent a role (its system prompt), a personality
 * (its persona block as custom instructions; no traits are invented) and an agent on the model its llm_config
 * names, with a connection per endpoint. Its id, other blocks, tools, the rest of llm_config and its other keys
 * are kept in the agent's `extensions.letta`, each whole or dropped with the reason (the cap is 16 KiB). The tools'
 * environment is never kept. The bundle imports all or nothing; the report says where each field went. A
 * credential in any field is refused as a ValidationError naming it.
 */
export function lettaToBundle(agents: readonly LettaAgent[], source: string): { bundle: Bundle; report: MappingReport } {
  agents.forEach((agent, index) => refuseUnsafe(agent, index, source));
  const ids = new ImportIds('letta-agent');
  const endpoints = new Map<string, MadeRecord>();
  const connectionId = (endpoint: Endpoint): string => {
    const key = `${endpoint.type} ${endpoint.baseUrl}`;
    if (!endpoints.has(key)) endpoints.set(key, connectionOf(endpoint, ids.idFor('connection', `${endpoint.type}-${new URL(endpoint.baseUrl).host}`)));
    return endpoints.get(key)?.body.id as string;
  };
  const made = agents.map((agent) => {
    const id = ids.idFor('agent', agent.name);
    const name = clip(agent.name, AGENT_LIMITS.name);
    const personality = personalityOf(agent, id, name);
    return { personality, role: roleOf(agent, id, name), agent: agentOf(agent, id, name, personality.personaTaken, connectionId) };
  });
  return bundleOfAgents('letta', source, made, [...endpoints.values()]);
}
