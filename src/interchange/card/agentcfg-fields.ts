import { isDeepStrictEqual } from 'node:util';
import { z } from 'zod';
import { agentSchema, type AgentInput } from '../../domain/agent/agent';
import { connectionCreateSchema, type ConnectionInput } from '../../domain/kinds/connection';
import { PERSONALITY_TRAITS, personalitySchema, type PersonalityInput } from '../../domain/personality/personality';
import { roleSchema, type RoleInput } from '../../domain/role/role';
import type { Card } from './card';
import { DEFAULT_AGENT_COLOUR, DEFAULT_MODEL_CONFIG, recordNameOf } from './card-defaults';
import { CARD_EXTENSION } from './kept-card';
import { parseAt } from './parse-at';

/** The key, in a card's `data.extensions`, of what the card cannot hold of the agentcfg agent it was made from. */
export const AGENTCFG_EXTENSION = 'agentcfg';

/** Where those fields sit in a card. */
export const AGENTCFG_PATH = ['data', 'extensions', AGENTCFG_EXTENSION] as const;

const personalityMask = Object.fromEntries(['name', 'description', ...PERSONALITY_TRAITS, 'extensions'].map((key) => [key, true])) as { [K in 'name' | 'description' | 'extensions' | (typeof PERSONALITY_TRAITS)[number]]: true };

/**
 * What a card cannot hold of an agentcfg agent, each part checked as the record it restores: the personality's
 * traits, name, description and extensions; the role's name, description, focus areas and extensions; the agent's
 * colour, model config and extensions; and the connection it used. A field equal to what an import of the card
 * alone would give is left out, so a card from no agentcfg export gets none back.
 */
export const agentcfgFieldsSchema = z.strictObject({
  personality: personalitySchema.pick(personalityMask).partial().optional(),
  role: roleSchema.pick({ name: true, description: true, focusAreas: true, extensions: true }).partial().optional(),
  agent: agentSchema.pick({ color: true, modelConfig: true, extensions: true }).partial().optional(),
  connection: connectionCreateSchema.optional(),
});

/** The agentcfg fields of a card. */
export type AgentcfgFields = z.output<typeof agentcfgFieldsSchema>;

/** The agentcfg fields a card carries, checked; undefined when it has none. A field that is wrong is refused by path. */
export function readAgentcfgFields(card: Card, source: string): AgentcfgFields | undefined {
  const value = card.data.extensions[AGENTCFG_EXTENSION];
  if (value === undefined) return undefined;
  return parseAt(agentcfgFieldsSchema, value, 'agentcfg fields of the character card', AGENTCFG_PATH.join('.'), source);
}

/** A record's extensions without what it keeps of a card (the card gives that back in its own fields). */
function ownExtensions(extensions: Record<string, unknown> | undefined): Record<string, unknown> | undefined {
  const own = Object.entries(extensions ?? {}).filter(([key]) => key !== CARD_EXTENSION);
  return own.length === 0 ? undefined : Object.fromEntries(own);
}

/** `fields` without the undefined ones; undefined when none is left. */
function present<T extends object>(fields: T): T | undefined {
  const kept = Object.entries(fields).filter(([, value]) => value !== undefined);
  return kept.length === 0 ? undefined : (Object.fromEntries(kept) as T);
}

/** The records an agent's card is made from. */
export interface CardSources {
  personality: PersonalityInput;
  role: RoleInput;
  agent: AgentInput;
  /** The connection the agent uses, or the one it keeps from the card it came from. */
  connection?: ConnectionInput | Record<string, unknown>;
}

/** The agentcfg fields of an agent's card named `cardName`: what an import of the card alone would not give. */
export function agentcfgFieldsOf({ personality, role, agent, connection }: CardSources, cardName: string): AgentcfgFields | undefined {
  const name = recordNameOf(cardName);
  const traits = Object.fromEntries(PERSONALITY_TRAITS.map((trait) => [trait, personality[trait]]));
  return present({
    personality: present({
      name: personality.name === name ? undefined : personality.name,
      description: personality.description,
      ...traits,
      extensions: ownExtensions(personality.extensions),
    }),
    role: present({
      name: role.name === name ? undefined : role.name,
      description: role.description === '' ? undefined : role.description,
      focusAreas: role.focusAreas?.length ? role.focusAreas : undefined,
      extensions: ownExtensions(role.extensions),
    }),
    agent: present({
      color: agent.color === DEFAULT_AGENT_COLOUR ? undefined : agent.color,
      modelConfig: isDeepStrictEqual(agent.modelConfig, DEFAULT_MODEL_CONFIG) ? undefined : agent.modelConfig,
      extensions: ownExtensions(agent.extensions),
    }),
    connection,
  }) as AgentcfgFields | undefined;
}
