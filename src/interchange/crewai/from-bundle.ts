import { stringify } from 'yaml';
import { agentCreateSchema, type AgentInput } from '../../domain/agent/agent';
import { withoutManagedFields, type Bundle } from '../../domain/bundle';
import { ValidationError } from '../../domain/errors/errors';
import { connectionCreateSchema } from '../../domain/kinds/connection';
import { roleCreateSchema } from '../../domain/role/role';
import { parseInput } from '../../domain/validation/parse-input';
import { splitLlm } from './llm';
import { CREWAI_DEFAULT_MODEL, llmOfModel, modelOfLlm } from './llm-model';
import { crewAiTextsOf, keptTextsFrom } from './role-text';

type Body = Record<string, unknown>;
type ModelConfig = AgentInput['modelConfig'];

const TEXT_FIELDS = ['role', 'goal', 'backstory', 'llm'];

function objectOr(value: unknown): Body {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Body) : {};
}

/** What a record keeps of CrewAI in `extensions.crewai` (an empty object when it keeps nothing). */
function crewAiKept(record: { extensions?: Body }): Body {
  return objectOr(record.extensions?.crewai);
}

/** Each record of a kind in the bundle, validated as a body, by id. */
function byId<T extends { id?: string }>(records: readonly Body[], parse: (body: Body, index: number) => T): Map<string, T> {
  return new Map(records.flatMap((record, index) => {
    const parsed = parse(withoutManagedFields(record), index);
    return parsed.id === undefined ? [] : [[parsed.id, parsed] as const];
  }));
}

/**
 * The `llm` to write: the one the file had while the model is still what the import made of it (a bare model id,
 * an unknown provider); none when the file had none and the model is still CrewAI's default; else the model's.
 */
function llmOf(model: ModelConfig, route: string | undefined, kept: unknown): string | undefined {
  const split = typeof kept === 'string' ? splitLlm(kept) : null;
  if (split) {
    const imported = modelOfLlm(split);
    if (imported.provider === model.provider && imported.modelId === model.modelId && imported.route === route) return kept as string;
  }
  if (kept === null && route === undefined && model.provider === CREWAI_DEFAULT_MODEL.provider && model.modelId === CREWAI_DEFAULT_MODEL.modelId) return undefined;
  return llmOfModel(model, route);
}

/** A key no other entry has: the one imported with, else the agent's id as a Python name (CrewAI's keys are). */
function uniqueKey(wanted: string, taken: Set<string>): string {
  let key = wanted;
  for (let n = 2; taken.has(key); n += 1) key = `${wanted}_${n}`;
  taken.add(key);
  return key;
}

/**
 * A CrewAI agents.yaml from a bundle: one entry per agent, under the key it was imported with (else its id, `-` as
 * `_`). Role, goal and backstory come from the agent's role (see crewAiTextsOf), `llm` from its model (and the
 * OpenAI-compatible service its connection stands for), and tools, allow_delegation and every other kept key from
 * its `extensions.crewai`; so a file imported by crewAiToBundle comes back field by field. A personality has no
 * place in CrewAI and is left out. An agent whose role is not in the bundle is a ValidationError naming it.
 */
export function bundleToCrewAi(bundle: Bundle): string {
  const what = (kind: string, index: number) => `${kind} ${index} of the bundle`;
  const roles = byId(bundle.roles, (body, i) => parseInput(roleCreateSchema, body, what('role', i)));
  const connections = byId(bundle.connections, (body, i) => parseInput(connectionCreateSchema, body, what('connection', i)));
  const taken = new Set<string>();
  const entries = new Map<string, Body>();
  bundle.agents.forEach((record, index) => {
    const agent = parseInput(agentCreateSchema, withoutManagedFields(record), what('agent', index));
    const role = roles.get(agent.roleId);
    if (!role) {
      const message = `names role '${agent.roleId}', which the bundle does not hold`;
      throw new ValidationError(`cannot write agent ${index} as CrewAI: it ${message}`, [{ path: `agents.${index}.roleId`, message }]);
    }
    const kept = crewAiKept(agent);
    const connection = agent.connectionId === undefined ? undefined : connections.get(agent.connectionId);
    const route = connection ? crewAiKept(connection).provider : undefined;
    const texts = crewAiTextsOf(role, keptTextsFrom(crewAiKept(role)));
    const llm = llmOf(agent.modelConfig, typeof route === 'string' ? route : undefined, kept.llm);
    const fields = Object.fromEntries(Object.entries(objectOr(kept.fields)).filter(([field]) => !TEXT_FIELDS.includes(field)));
    const key = uniqueKey(typeof kept.key === 'string' ? kept.key : (agent.id ?? `agent_${index}`).replace(/-/g, '_'), taken);
    entries.set(key, { ...texts, ...(llm === undefined ? {} : { llm }), ...fields });
  });
  return stringify(entries, { aliasDuplicateObjects: false, lineWidth: 0 });
}
