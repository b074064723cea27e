import type { z } from 'zod';
import { agentCreateSchema } from '../../domain/agent/agent';
import { withoutManagedFields, type Bundle } from '../../domain/bundle';
import { ValidationError } from '../../domain/errors/errors';
import { connectionCreateSchema } from '../../domain/kinds/connection';
import { KINDS } from '../../domain/kinds/registry';
import { personalityCreateSchema } from '../../domain/personality/personality';
import { roleCreateSchema } from '../../domain/role/role';
import { AGENTCFG_EXTENSION, agentcfgFieldsOf, type CardSources } from './agentcfg-fields';
import { ROOT_KEYS, V2_DATA_KEYS, V3_DATA_KEYS, parseCard } from './card';
import { recordNameOf } from './card-defaults';
import { keptCardOf, mergeKeptCards, specDefaultOf } from './kept-card';
import { parseAt } from './parse-at';
import { splitPromptParts } from './prompt-parts';

const SCHEMAS = { personality: personalityCreateSchema, role: roleCreateSchema, connection: connectionCreateSchema, agent: agentCreateSchema };

type Kind = keyof typeof SCHEMAS;
type Body<K extends Kind> = z.output<(typeof SCHEMAS)[K]>;

function refuse(path: string, message: string): never {
  throw new ValidationError(`cannot make a character card: ${path} ${message}`, [{ path, message }], { context: { operation: 'export-card' } });
}

/** A bundle's record as the body its kind's create schema makes of it (every input check included); `at` names it. */
function bodyOf<K extends Kind>(kind: K, record: unknown, at: string): Body<K> {
  const body = typeof record === 'object' && record !== null && !Array.isArray(record) ? withoutManagedFields(record as Record<string, unknown>) : record;
  return parseAt(SCHEMAS[kind], body, kind, at) as Body<K>;
}

/** The record of `kind` an agent names, and where it is: the bundle's, else a template (an export leaves those out). */
function referenced<K extends Exclude<Kind, 'agent'>>(bundle: Bundle, kind: K, id: string, at: string): { body: Body<K>; at: string } {
  const plural = KINDS[kind].plural;
  const records = bundle[plural] as Record<string, unknown>[];
  const index = records.findIndex((record) => record.id === id);
  if (index >= 0) return { body: bodyOf(kind, records[index], `${plural}.${index}`), at: `${plural}.${index}` };
  const template = (KINDS[kind].templates as readonly { id: string }[]).find((t) => t.id === id);
  if (template) return { body: bodyOf(kind, template, `${kind} template '${id}'`), at: `${kind} template '${id}'` };
  return refuse(at, `names ${kind} '${id}', which is neither in the bundle nor a template`);
}

/** The card's `data.extensions`: those it kept from its card, and the agentcfg fields a card cannot hold otherwise. */
function extensionsOf(kept: Record<string, unknown> | undefined, fields: unknown): Record<string, unknown> {
  return { ...(kept ?? {}), ...(fields === undefined ? {} : { [AGENTCFG_EXTENSION]: fields }) };
}

/** The card of one agent, from its records: each card field from the record field it maps to, else as kept, else empty. */
function cardOf(sources: CardSources, version: 2 | 3, at: Record<'personality' | 'role' | 'agent', string>): Record<string, unknown> {
  const { personality, role, agent } = sources;
  const kept = mergeKeptCards([keptCardOf(personality, at.personality), keptCardOf(role, at.role), keptCardOf(agent, at.agent)]);
  // The card's own name comes back while the agent still has the name the import made of it.
  const keptName = kept.data.name;
  const name = typeof keptName === 'string' && recordNameOf(keptName) === agent.name ? keptName : agent.name;
  const mapped: Record<string, unknown> = { ...splitPromptParts(role.systemPrompt, kept.promptParts), name };
  if (personality.customInstructions !== undefined) mapped.personality = personality.customInstructions;
  if (agent.description !== undefined) mapped.creator_notes = agent.description;
  const fields = agentcfgFieldsOf({ ...sources, connection: sources.connection ?? kept.connection }, name);

  const spec = version === 3 ? 'chara_card_v3' : 'chara_card_v2';
  const specKeys = version === 3 ? V3_DATA_KEYS : V2_DATA_KEYS;
  const data: Record<string, unknown> = {};
  for (const key of specKeys) {
    const value = key === 'extensions' ? extensionsOf(kept.data.extensions, fields) : (mapped[key] ?? kept.data[key] ?? specDefaultOf(key));
    if (value !== undefined) data[key] = value;
  }
  // Keys this version has no field for (unknown keys of the card, V3 fields in a V2 card) go back as extra keys.
  for (const [key, value] of Object.entries(kept.data)) if (!specKeys.includes(key)) data[key] = value;
  const specVersion = kept.spec?.spec === spec ? kept.spec.spec_version : `${version}.0`;
  const root = Object.fromEntries(Object.entries(kept.root).filter(([key]) => !ROOT_KEYS.includes(key)));
  return structuredClone({ spec, spec_version: specVersion, data, ...root });
}

/**
 * One Character Card per agent of a bundle (V3 unless `version` says 2), each made from the agent, its personality
 * and role (the bundle's, or templates) and its connection: the card's name from the agent's, its personality from
 * the personality's customInstructions, its system prompt (with description and scenario, for a role an import
 * made of a card) from the role's systemPrompt, its creator notes from the agent's description. What a card
 * cannot hold goes in `data.extensions.agentcfg`; the fields records kept from an imported card come back where
 * they were. Each card is checked as a reader would read it: write it with JSON.stringify, or as a PNG with
 * `writeCardPng(parseCard(card, name))`.
 */
export function bundleToCards(bundle: Bundle, options: { version?: 2 | 3 } = {}): { agentId: string; card: Record<string, unknown> }[] {
  const version = options.version ?? 3;
  if (version !== 2 && version !== 3) refuse('version', 'must be 2 or 3');
  return bundle.agents.map((record, index) => {
    const at = `agents.${index}`;
    const agent = bodyOf('agent', record, at);
    if (agent.id === undefined) refuse(`${at}.id`, 'is required: a card is named by its agent');
    const personality = referenced(bundle, 'personality', agent.personalityId, `${at}.personalityId`);
    const role = referenced(bundle, 'role', agent.roleId, `${at}.roleId`);
    const connection = agent.connectionId === undefined ? undefined : referenced(bundle, 'connection', agent.connectionId, `${at}.connectionId`).body;
    const sources = { personality: personality.body, role: role.body, agent, ...(connection ? { connection } : {}) };
    const card = cardOf(sources, version, { personality: personality.at, role: role.at, agent: at });
    parseCard(card, `the card of agent '${agent.id}'`);
    return { agentId: agent.id, card };
  });
}
