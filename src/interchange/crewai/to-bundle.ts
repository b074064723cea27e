import type { Bundle } from '../../domain/bundle';
import { printable } from '../../domain/validation/text-hygiene';
import { DEFAULT_AGENT_COLOUR } from '../agent-colour';
import { bundleOfAgents, type MadeRecord } from '../agents-bundle';
import { ImportIds } from '../import-ids';
import { KeptExtensions } from '../kept-extensions';
import type { MappedRecord, MappingReport } from '../mapping-report';
import { assertSafeSource } from '../source-guard';
import type { CrewAiAgent } from './agents';
import type { CrewAiLlm } from './llm';
import { OPENAI_COMPATIBLE_ROUTES, llmOfModel, modelOfLlm } from './llm-model';
import { roleTextsOf } from './role-text';

type Body = Record<string, unknown>;

/** An `llm` as written in the file (the reader split it). */
function llmText(llm: CrewAiLlm): string {
  return llm.provider === undefined ? llm.model : `${llm.provider}/${llm.model}`;
}

/** An agent as its agents.yaml entry reads: the fields CrewAI knows, then the others as written. */
function crewAiEntryOf(agent: CrewAiAgent): Body {
  return {
    role: agent.role,
    goal: agent.goal,
    backstory: agent.backstory,
    ...(agent.llm ? { llm: llmText(agent.llm) } : {}),
    ...(agent.tools ? { tools: agent.tools } : {}),
    ...(agent.allowDelegation !== undefined ? { allow_delegation: agent.allowDelegation } : {}),
    ...agent.extra,
  };
}

function reportOf(kind: MappedRecord['kind'], id: string, key: string): MappedRecord {
  return { kind, id, ...(id === key ? {} : { sourceId: key }), mapped: [{ from: 'key', to: 'id' }], kept: [], dropped: [], defaulted: [] };
}

function roleOf(agent: CrewAiAgent, id: string): MadeRecord {
  const report = reportOf('role', id, agent.key);
  const texts = roleTextsOf(agent);
  report.mapped.push({ from: 'role', to: 'name' }, { from: 'goal', to: 'description' }, { from: texts.composed ? 'role, goal, backstory' : 'backstory', to: 'systemPrompt' });
  const kept = new KeptExtensions(report, { scope: 'crewai' });
  kept.keep('role', ['role'], texts.kept.role);
  kept.keep('goal', ['goal'], texts.kept.goal);
  const whitespace = texts.kept.whitespace;
  if (whitespace) kept.keep(`whitespace around ${Object.keys(whitespace).join(', ')}`, ['whitespace'], whitespace);
  const extensions = kept.extensions();
  return { body: { id, name: texts.name, description: texts.description, systemPrompt: texts.systemPrompt, ...(extensions ? { extensions } : {}) }, report };
}

function personalityOf(agent: CrewAiAgent, id: string, name: string): MadeRecord {
  const report = reportOf('personality', id, agent.key);
  // CrewAI has no traits: every one stays unset rather than invented.
  report.mapped.push({ from: 'role', to: 'name' });
  return { body: { id, name }, report };
}

function agentOf(agent: CrewAiAgent, id: string, name: string, connectionId: (route: string) => string): MadeRecord {
  const report = reportOf('agent', id, agent.key);
  report.mapped.push({ from: 'role', to: 'name' }, { from: 'key', to: 'personalityId' }, { from: 'key', to: 'roleId' });
  const model = modelOfLlm(agent.llm);
  if (agent.llm) report.mapped.push({ from: 'llm', to: 'modelConfig.modelId' });
  if (model.defaultedWhy) report.defaulted.push({ field: 'modelConfig.provider', value: model.provider, why: model.defaultedWhy });
  else report.mapped.push({ from: 'llm', to: 'modelConfig.provider' });
  if (!agent.llm) report.defaulted.push({ field: 'modelConfig.modelId', value: model.modelId, why: 'the agent names no llm' });
  if (model.route) report.mapped.push({ from: 'llm', to: 'connectionId' });
  report.defaulted.push({ field: 'color', value: DEFAULT_AGENT_COLOUR, why: 'CrewAI agents have no colour' });

  const kept = new KeptExtensions(report, { scope: 'crewai' });
  kept.keep('key', ['key'], agent.key);
  // The llm as written, when an export would not write it back alike (a bare model id, an unknown provider); null
  // says the file named none, so an export leaves it out again.
  const written = agent.llm ? llmText(agent.llm) : null;
  if (written === null) kept.note(['llm'], null);
  else if (written !== llmOfModel(model, model.route)) kept.keep('llm', ['llm'], written);
  const entry = crewAiEntryOf(agent);
  for (const field of Object.keys(entry).filter((f) => !['role', 'goal', 'backstory', 'llm'].includes(f))) kept.keep(field, ['fields', field], entry[field]);
  const extensions = kept.extensions();
  return {
    body: {
      id,
      name,
      personalityId: id,
      roleId: id,
      ...(model.route ? { connectionId: connectionId(model.route) } : {}),
      color: DEFAULT_AGENT_COLOUR,
      modelConfig: { provider: model.provider, modelId: model.modelId },
      ...(extensions ? { extensions } : {}),
    },
    report,
  };
}

/** The connection to an OpenAI-compatible service an `llm` prefix names (OpenRouter, Groq…), at its known address. */
function connectionOf(route: string, id: string): MadeRecord {
  const { name, baseUrl } = OPENAI_COMPATIBLE_ROUTES[route] as { name: string; baseUrl: string };
  const report: MappedRecord = { kind: 'connection', id, mapped: [{ from: 'llm', to: 'provider' }], kept: [], dropped: [], defaulted: [] };
  report.defaulted.push(
    { field: 'name', value: name, why: `CrewAI's llm names the provider '${route}' only` },
    { field: 'baseUrl', value: baseUrl, why: `CrewAI's llm names no endpoint: ${name}'s OpenAI-compatible API` },
  );
  const kept = new KeptExtensions(report, { scope: 'crewai' });
  kept.keep('llm provider', ['provider'], route);
  return { body: { id, name, provider: 'openai-compatible', baseUrl, extensions: kept.extensions() }, report };
}

/**
 * What a CrewAI agents.yaml becomes in agentcfg: per agent a role (its role, goal and backstory, and CrewAI's own
 * prompt from them), a personality with only a name (CrewAI has no traits, none is invented) and an agent on the
 * model its `llm` names; a connection for each OpenAI-compatible service an `llm` routes through. The key, tools,
 * allow_delegation and every other key are kept in the agent's `extensions.crewai` for bundleToCrewAi. The bundle
 * imports all or nothing; the report says where each field went, and why anything was dropped. A credential in any
 * field is refused as a ValidationError naming it.
 */
export function crewAiToBundle(agents: readonly CrewAiAgent[], source: string): { bundle: Bundle; report: MappingReport } {
  for (const agent of agents) assertSafeSource(crewAiEntryOf(agent), [agent.key], `CrewAI agent '${printable(agent.key)}' (${printable(source)})`, source);
  const ids = new ImportIds('crewai-agent');
  const routes = new Map<string, MadeRecord>();
  const connectionId = (route: string): string => {
    if (!routes.has(route)) routes.set(route, connectionOf(route, ids.idFor('connection', route)));
    return routes.get(route)?.body.id as string;
  };
  const made = agents.map((agent) => {
    const id = ids.idFor('agent', agent.key);
    const role = roleOf(agent, id);
    const name = role.body.name as string;
    return { role, personality: personalityOf(agent, id, name), agent: agentOf(agent, id, name, connectionId) };
  });
  return bundleOfAgents('crewai', source, made, [...routes.values()]);
}
