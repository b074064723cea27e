import { z } from 'zod';
import { FISHBOWL_AGENT_BEHAVIOURS, type FishbowlAgentBehaviourKey } from './behaviours';
import { definedFields, extraFields, fishbowlId, fishbowlRequiredText, fishbowlText, isoDateTime, recordList, recordTimestamp, schemaVersion, unlessNull } from './schema-parts';

const adjustment = z.number('must be a number').min(-100, 'must be at least -100').max(100, 'must be at most 100');
const adjustmentsSchema = z
  .object(Object.fromEntries(FISHBOWL_AGENT_BEHAVIOURS.map((key) => [key, adjustment.optional()])) as Record<FishbowlAgentBehaviourKey, z.ZodOptional<typeof adjustment>>)
  // A newer Fishbowl may add adjustments: kept, but held to the same range.
  .catchall(adjustment);

const agentSchema = z.looseObject({
  id: fishbowlId,
  name: fishbowlRequiredText(100),
  model: fishbowlRequiredText(200),
  llmConfigId: fishbowlId,
  role: fishbowlId,
  personality: fishbowlId,
  systemPrompt: fishbowlText(5000).optional(),
  personalityBehaviors: adjustmentsSchema.optional(),
  createdAt: recordTimestamp,
  updatedAt: recordTimestamp,
});

/** agents.json as Fishbowl writes it. */
export const agentsFileSchema = z.looseObject({
  schemaVersion,
  agents: recordList(agentSchema),
  lastUpdated: isoDateTime.optional(),
});

const KNOWN = ['id', 'name', 'model', 'llmConfigId', 'role', 'personality', 'systemPrompt', 'personalityBehaviors', 'createdAt', 'updatedAt'];

/** One Fishbowl agent: a model on an LLM configuration, with a role and a personality (by id). */
export interface FishbowlAgent {
  id: string;
  name: string;
  model: string;
  llmConfigId: string;
  /** The role's id. */
  role: string;
  /** The personality's id. */
  personality: string;
  systemPrompt?: string;
  /** Per-agent adjustments, each −100..100. */
  personalityBehaviors?: Partial<Record<FishbowlAgentBehaviourKey, number>> & Record<string, number>;
  createdAt?: string;
  updatedAt?: string;
  extra: Record<string, unknown>;
}

/** A validated agent, typed. */
export function normaliseAgent(agent: z.output<typeof agentSchema>): FishbowlAgent {
  return definedFields({
    id: agent.id,
    name: agent.name,
    model: agent.model,
    llmConfigId: agent.llmConfigId,
    role: agent.role,
    personality: agent.personality,
    systemPrompt: agent.systemPrompt,
    personalityBehaviors: agent.personalityBehaviors && (definedFields(agent.personalityBehaviors) as Record<string, number>),
    createdAt: unlessNull(agent.createdAt),
    updatedAt: unlessNull(agent.updatedAt),
    extra: extraFields(agent, KNOWN),
  });
}
