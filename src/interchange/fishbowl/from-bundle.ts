import type { Bundle } from '../../domain/bundle';
import { PERSONALITY_TRAITS } from '../../domain/personality/personality';
import { cutText } from '../clip-text';
import { FISHBOWL_BEHAVIOURS } from './behaviours';
import {
  extraFieldsToWrite,
  fishbowlExtension,
  FISHBOWL_TEXT_LIMITS as LIMITS,
  MAX_FISHBOWL_BEHAVIOURS,
  scoresWithin,
  textOf,
  timestampsOf,
  type BundleRecord,
} from './export-fields';
import { llmConfigsFromBundle } from './llm-configs-from-bundle';

/** The settings files an export writes, named as in Fishbowl's user-data folder. */
export type FishbowlFileName = 'personalities.json' | 'roles.json' | 'agents.json' | 'llm_config.json';

/** Options of `bundleToFishbowl`. */
export interface FishbowlExportOptions {
  /** The ISO date-time stamped as each file's lastUpdated (and on records that have no time of their own); now by default. */
  now?: string;
}

/** The version stamp the files are written with: the one Fishbowl writes today. */
const SCHEMA_VERSION = '1.0.0';

// Fishbowl's own keys first, in its order, then the traits it has no key for.
const TRAIT_ORDER = [...new Set<string>([...FISHBOWL_BEHAVIOURS, ...PERSONALITY_TRAITS])].filter((t) => (PERSONALITY_TRAITS as readonly string[]).includes(t));

// Fields each writer sets itself; `layout` is the reader's note of where scores were, not a Fishbowl field.
const PERSONALITY_FIELDS = ['id', 'name', 'bigFive', 'behaviors', 'customInstructions', 'createdAt', 'updatedAt', 'layout'];
const ROLE_FIELDS = ['id', 'name', 'description', 'systemPrompt', 'createdAt', 'updatedAt'];
const AGENT_FIELDS = ['id', 'name', 'model', 'llmConfigId', 'role', 'personality', 'systemPrompt', 'personalityBehaviors', 'createdAt', 'updatedAt'];

/** Every trait that is set, then the scores kept in extensions that no set trait replaces; at most Fishbowl's 200. */
function behavioursOf(personality: BundleRecord, fishbowl: Record<string, unknown>): Record<string, number> {
  const behaviours: Record<string, number> = {};
  for (const trait of TRAIT_ORDER) {
    const value = personality[trait];
    if (typeof value === 'number') behaviours[trait] = value;
  }
  for (const [key, value] of Object.entries(scoresWithin(fishbowl.behaviors, 0, 100))) {
    // A set trait was changed in agentcfg after the import, so it is the newer value.
    if (!(key in behaviours)) behaviours[key] = value;
  }
  return Object.fromEntries(Object.entries(behaviours).slice(0, MAX_FISHBOWL_BEHAVIOURS));
}

function personalityOf(personality: BundleRecord, now: string): Record<string, unknown> {
  const fishbowl = fishbowlExtension(personality);
  return {
    id: personality.id,
    name: cutText(textOf(personality, 'name'), LIMITS.personalityName),
    behaviors: behavioursOf(personality, fishbowl),
    customInstructions: cutText(textOf(personality, 'customInstructions'), LIMITS.customInstructions),
    ...timestampsOf(personality, fishbowl, now),
    ...extraFieldsToWrite(fishbowl, PERSONALITY_FIELDS),
  };
}

function roleOf(role: BundleRecord, now: string): Record<string, unknown> {
  const fishbowl = fishbowlExtension(role);
  return {
    id: role.id,
    name: cutText(textOf(role, 'name'), LIMITS.roleName),
    description: cutText(textOf(role, 'description'), LIMITS.roleDescription),
    systemPrompt: cutText(textOf(role, 'systemPrompt'), LIMITS.systemPrompt),
    ...timestampsOf(role, fishbowl, now),
    ...extraFieldsToWrite(fishbowl, ROLE_FIELDS),
  };
}

function agentOf(agent: BundleRecord, llmConfigId: string, now: string): Record<string, unknown> {
  const fishbowl = fishbowlExtension(agent);
  const modelConfig = (agent.modelConfig ?? {}) as BundleRecord;
  return {
    id: agent.id,
    name: cutText(textOf(agent, 'name'), LIMITS.agentName),
    model: cutText(textOf(modelConfig, 'modelId'), LIMITS.model),
    llmConfigId,
    role: agent.roleId,
    personality: agent.personalityId,
    ...(typeof fishbowl.systemPrompt === 'string' ? { systemPrompt: cutText(fishbowl.systemPrompt, LIMITS.systemPrompt) } : {}),
    ...(fishbowl.personalityBehaviors !== undefined ? { personalityBehaviors: scoresWithin(fishbowl.personalityBehaviors, -100, 100) } : {}),
    ...timestampsOf(agent, fishbowl, now),
    ...extraFieldsToWrite(fishbowl, AGENT_FIELDS),
  };
}

/**
 * A bundle as Fishbowl's four settings files, in the shapes its readers take (llm_config.json a bare array). What
 * an import from Fishbowl kept in `extensions.fishbowl` is given back: scores agentcfg has no trait for, an agent's
 * systemPrompt and personalityBehaviors, useAuthHeader, timestamps and fields Fishbowl's reader did not know.
 * What Fishbowl cannot hold is not written: an agent whose model Fishbowl cannot reach (google, ollama) is left
 * out, as are colours, descriptions, focus areas, model parameters and key references; text is cut to its caps.
 */
export function bundleToFishbowl(bundle: Bundle, options: FishbowlExportOptions = {}): Record<FishbowlFileName, unknown> {
  const now = options.now ?? new Date().toISOString();
  const { configs, llmConfigIds } = llmConfigsFromBundle(bundle.connections, bundle.agents, now);
  const agents = bundle.agents.flatMap((agent) => {
    const llmConfigId = llmConfigIds.get(textOf(agent, 'id'));
    return llmConfigId === undefined ? [] : [agentOf(agent, llmConfigId, now)];
  });
  return {
    'personalities.json': { schemaVersion: SCHEMA_VERSION, personalities: bundle.personalities.map((p) => personalityOf(p, now)), lastUpdated: now },
    'roles.json': { schemaVersion: SCHEMA_VERSION, roles: bundle.roles.map((r) => roleOf(r, now)), lastUpdated: now },
    'agents.json': { schemaVersion: SCHEMA_VERSION, agents, lastUpdated: now },
    'llm_config.json': configs,
  };
}
