import { AGENT_LIMITS, DEFAULT_TEMPERATURE, type ModelConfig } from '../../domain/agent/agent';
import { PERSONALITY_LIMITS } from '../../domain/personality/personality';
import { ROLE_LIMITS } from '../../domain/role/role';
import { cutText } from '../clip-text';
import { idFromName, templateIdsOf } from '../import-ids';

/** An agent needs a colour and cards have none: the neutral grey Fishbowl imports use too. */
export { DEFAULT_AGENT_COLOUR } from '../agent-colour';

/** A card names no model: an agent made from one runs on this until the user picks another, and the report says so. */
export const DEFAULT_MODEL_CONFIG: Readonly<ModelConfig> = Object.freeze({
  provider: 'openai',
  modelId: 'gpt-4o-mini',
  parameters: Object.freeze({ temperature: DEFAULT_TEMPERATURE }),
});

/** The role prompt of a card that gives no system prompt, description or scenario: a role must have one. */
export const DEFAULT_SYSTEM_PROMPT = 'You are {{char}}.';

/** The name the records take from a card whose name is blank: a record's name must not be. */
export const DEFAULT_CHARACTER_NAME = 'Unnamed character';

/** The longest name all three records can take. */
export const NAME_LIMIT = Math.min(PERSONALITY_LIMITS.name, ROLE_LIMITS.name, AGENT_LIMITS.name);

/** The name a card's records take: the card's, cut to the limit; the default when that leaves nothing to read. */
export function recordNameOf(cardName: string): string {
  const cut = cutText(cardName, NAME_LIMIT);
  return /\S/.test(cut) ? cut : DEFAULT_CHARACTER_NAME;
}

/** Ids of the templates of the kinds a card becomes: a card taking one would be a CONFLICT. */
const TEMPLATE_IDS = templateIdsOf(['personality', 'role', 'agent']);

/**
 * The id a card's records take, from its name as Fishbowl's ids are made (`Mira Vance` → `mira-vance`; a name with
 * nothing usable, `card-` and its bytes in hex), with `-2` after a template's id (`Storyteller` → `storyteller-2`).
 */
export function recordIdOf(cardName: string): string {
  // Not ImportIds: a card's three records share one id, so only a template can collide; docs/formats/card.md gives this rule.
  const id = idFromName(cardName, /[-_]+$/) ?? (cardName === '' ? 'card' : `card-${Buffer.from(cardName).toString('hex').slice(0, 40)}`);
  return TEMPLATE_IDS.has(id) ? `${id.slice(0, 62)}-2` : id;
}
