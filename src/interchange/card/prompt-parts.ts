import { DEFAULT_SYSTEM_PROMPT } from './card-defaults';

/** The card fields a role's systemPrompt is made of, in the order a card's prompt puts them. */
export const PROMPT_PARTS = ['system_prompt', 'description', 'scenario'] as const;

/** One of them. */
export type PromptPart = (typeof PROMPT_PARTS)[number];

const SEPARATOR = '\n\n';

/** The parts joined as a prompt; each part that would take it past `max` characters is left out, in order. */
export function joinPromptParts(
  values: Readonly<Record<PromptPart, string>>,
  max: number,
): { text: string; lengths: Partial<Record<PromptPart, number>>; leftOut: PromptPart[] } {
  let text = '';
  const lengths: Partial<Record<PromptPart, number>> = {};
  const leftOut: PromptPart[] = [];
  for (const part of PROMPT_PARTS) {
    const value = values[part];
    if (value === '') continue;
    const joined = text === '' ? value : `${text}${SEPARATOR}${value}`; // parts are never empty
    if (joined.length > max) {
      leftOut.push(part);
      continue;
    }
    text = joined;
    lengths[part] = value.length;
  }
  return { text, lengths, leftOut };
}

/**
 * The card fields a role's systemPrompt came from, cut by the lengths the import noted. A prompt that no longer has
 * that shape (the role was edited since), or that came from no card (no lengths), is the card's system_prompt
 * whole; the default prompt an import gave a card with none (no parts) is no field at all.
 */
export function splitPromptParts(systemPrompt: string, lengths: Readonly<Record<string, number>> | undefined): Partial<Record<PromptPart, string>> {
  const whole = { system_prompt: systemPrompt };
  if (lengths === undefined) return whole;
  const parts = PROMPT_PARTS.filter((part) => lengths[part] !== undefined);
  if (parts.length === 0) return systemPrompt === DEFAULT_SYSTEM_PROMPT ? {} : whole;
  const out: Partial<Record<PromptPart, string>> = {};
  let at = 0;
  for (const [index, part] of parts.entries()) {
    if (index > 0) {
      if (systemPrompt.slice(at, at + SEPARATOR.length) !== SEPARATOR) return whole;
      at += SEPARATOR.length;
    }
    const length = lengths[part] as number;
    out[part] = systemPrompt.slice(at, at + length);
    at += length;
  }
  return at === systemPrompt.length ? out : whole;
}
