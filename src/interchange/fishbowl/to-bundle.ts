import type { Bundle } from '../../domain/bundle';
import { PERSONALITY_TRAITS, type PersonalityTrait } from '../../domain/personality/personality';
import { DEFAULT_AGENT_COLOUR } from '../agent-colour';
import { idFromName } from '../import-ids';
import type { MappedRecord, MappingReport } from '../mapping-report';
import type { FishbowlSettings } from './settings';

const TRAITS: ReadonlySet<string> = new Set(PERSONALITY_TRAITS);

/**
 * The id agentcfg gives a source id: as it is when it is a valid id, else lower-cased with other characters as `-`.
 * Not ImportIds: Fishbowl's ids are unique already, and a record imported before must get the same id again, so
 * this rule stays as it shipped (no end trimmed, no suffix).
 */
function agentcfgId(sourceId: string): string {
  return idFromName(sourceId) ?? `fishbowl-${Buffer.from(sourceId).toString('hex').slice(0, 40)}`;
}

function record(kind: MappedRecord['kind'], sourceId: string): MappedRecord {
  const id = agentcfgId(sourceId);
  return { kind, id, ...(id === sourceId ? {} : { sourceId }), mapped: [{ from: 'id', to: 'id' }], kept: [], dropped: [], defaulted: [] };
}

/** Fields of the source agentcfg keeps only in extensions (its own timestamps and version come from the change). */
function keep(report: MappedRecord, fishbowl: Record<string, unknown>, fields: Record<string, unknown>): void {
  for (const [field, value] of Object.entries(fields)) {
    if (value === undefined) continue;
    fishbowl[field] = value;
    report.kept.push(field);
  }
}

/**
 * What a Fishbowl settings folder becomes in agentcfg: its personalities (every behaviour it gives, as traits;
 * one agentcfg has no trait for kept in extensions), roles, LLM configurations as connections (never a key: the
 * files hold none) and agents, as a bundle the import workflow creates all or nothing; and the report of what
 * mapped where. Nothing is dropped without the report saying why.
 */
export function fishbowlToBundle(settings: FishbowlSettings, source: string): { bundle: Bundle; report: MappingReport } {
  const records: MappedRecord[] = [];
  const ids = new Map<string, string>();
  const idOf = (kind: string, sourceId: string) => ids.get(`${kind}:${sourceId}`) ?? agentcfgId(sourceId);

  const personalities = settings.personalities.map((p) => {
    const report = record('personality', p.id);
    ids.set(`personality:${p.id}`, report.id);
    const traits: Partial<Record<PersonalityTrait, number>> = {};
    const otherBehaviours: Record<string, number> = {};
    for (const [key, value] of [...Object.entries(p.bigFive), ...Object.entries(p.behaviors)]) {
      const path = p.layout === 'legacy' && key in p.bigFive ? `bigFive.${key}` : `behaviors.${key}`;
      // A trait is a whole number; a score that is not keeps its exact value in extensions instead.
      if (TRAITS.has(key) && Number.isInteger(value)) {
        traits[key as PersonalityTrait] = value as number;
        report.mapped.push({ from: path, to: key });
      } else {
        otherBehaviours[key] = value as number;
        report.kept.push(path);
      }
    }
    report.mapped.push({ from: 'name', to: 'name' });
    if (p.customInstructions) report.mapped.push({ from: 'customInstructions', to: 'customInstructions' });
    const fishbowl: Record<string, unknown> = { layout: p.layout };
    if (Object.keys(otherBehaviours).length > 0) fishbowl.behaviors = otherBehaviours;
    keep(report, fishbowl, { createdAt: p.createdAt, updatedAt: p.updatedAt, ...p.extra });
    records.push(report);
    return { id: report.id, name: p.name, ...traits, ...(p.customInstructions ? { customInstructions: p.customInstructions } : {}), extensions: { fishbowl } };
  });

  const roles = settings.roles.map((r) => {
    const report = record('role', r.id);
    ids.set(`role:${r.id}`, report.id);
    report.mapped.push({ from: 'name', to: 'name' }, { from: 'description', to: 'description' }, { from: 'systemPrompt', to: 'systemPrompt' });
    const fishbowl: Record<string, unknown> = {};
    keep(report, fishbowl, { createdAt: r.createdAt, updatedAt: r.updatedAt, ...r.extra });
    records.push(report);
    return { id: report.id, name: r.name, description: r.description, systemPrompt: r.systemPrompt, extensions: { fishbowl } };
  });

  const providers = new Map(settings.llmConfigs.map((c) => [c.id, c.provider]));
  const connections = settings.llmConfigs.map((c) => {
    const report = record('connection', c.id);
    ids.set(`connection:${c.id}`, report.id);
    report.mapped.push({ from: 'customName', to: 'name' }, { from: 'provider', to: 'provider' });
    if (c.baseUrl) report.mapped.push({ from: 'baseUrl', to: 'baseUrl' });
    const fishbowl: Record<string, unknown> = {};
    keep(report, fishbowl, { useAuthHeader: c.useAuthHeader, createdAt: c.createdAt, updatedAt: c.updatedAt, ...c.extra });
    records.push(report);
    return { id: report.id, name: c.customName, provider: c.provider, ...(c.baseUrl ? { baseUrl: c.baseUrl } : {}), extensions: { fishbowl } };
  });

  const agents = settings.agents.map((a) => {
    const report = record('agent', a.id);
    report.mapped.push({ from: 'name', to: 'name' }, { from: 'personality', to: 'personalityId' }, { from: 'role', to: 'roleId' }, { from: 'llmConfigId', to: 'connectionId' }, { from: 'model', to: 'modelConfig.modelId' });
    const provider = providers.get(a.llmConfigId);
    if (provider) report.mapped.push({ from: `llm_config[${a.llmConfigId}].provider`, to: 'modelConfig.provider' });
    else report.defaulted.push({ field: 'modelConfig.provider', value: 'openai', why: `LLM configuration '${a.llmConfigId}' is not among the files imported` });
    report.defaulted.push({ field: 'color', value: DEFAULT_AGENT_COLOUR, why: 'Fishbowl agents have no colour' });
    const fishbowl: Record<string, unknown> = {};
    keep(report, fishbowl, { systemPrompt: a.systemPrompt, personalityBehaviors: a.personalityBehaviors, createdAt: a.createdAt, updatedAt: a.updatedAt, ...a.extra });
    records.push(report);
    return {
      id: report.id,
      name: a.name,
      personalityId: idOf('personality', a.personality),
      roleId: idOf('role', a.role),
      ...(provider ? { connectionId: idOf('connection', a.llmConfigId) } : {}),
      color: DEFAULT_AGENT_COLOUR,
      modelConfig: { provider: provider ?? 'openai', modelId: a.model },
      extensions: { fishbowl },
    };
  });

  return { bundle: { schemaVersion: 1, personalities, roles, connections, agents }, report: { format: 'fishbowl', source, records } };
}
