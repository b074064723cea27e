import type { Personality, PersonalityTrait } from '../personality/personality';
import { PERSONALITY_TRAITS } from '../personality/personality';
import type { Role } from '../role/role';
import { TRAIT_PHRASES } from './trait-phrases';

/** Value bands: 0–20 very low, 21–40 low, 41–59 middle (unsaid), 60–79 high, 80–100 very high. */
export function traitPhrase(trait: PersonalityTrait, value: number): string | undefined {
  const [veryLow, low, high, veryHigh] = TRAIT_PHRASES[trait];
  if (value <= 20) return veryLow;
  if (value <= 40) return low;
  if (value < 60) return undefined;
  if (value < 80) return high;
  return veryHigh;
}

type PersonalityTraits = Pick<Personality, PersonalityTrait>;

/** A description of a personality derived from its trait values. */
export function describePersonality(personality: PersonalityTraits): string {
  const phrases = PERSONALITY_TRAITS.flatMap((trait) => {
    const value = personality[trait];
    return value === undefined ? [] : (traitPhrase(trait, value) ?? []);
  });
  return phrases.length > 0 ? phrases.join(' ') : 'Keep a balanced, even-tempered manner.';
}

/**
 * The system prompt an app sends to the model for an agent: the role's prompt, then how to behave
 * (derived from the personality's traits), then the personality's custom instructions, if any.
 */
export function composeSystemPrompt(
  role: Pick<Role, 'systemPrompt' | 'focusAreas'>,
  personality: PersonalityTraits & Pick<Personality, 'customInstructions'>,
): string {
  const sections = [role.systemPrompt.trim()];
  if (role.focusAreas.length > 0) sections.push(`Focus areas: ${role.focusAreas.join(', ')}.`);
  sections.push(`Personality: ${describePersonality(personality)}`);
  const custom = personality.customInstructions?.trim();
  if (custom) sections.push(`Additional instructions: ${custom}`);
  return sections.join('\n\n');
}
