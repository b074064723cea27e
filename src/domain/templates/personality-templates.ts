import type { PersonalityInput, PersonalityTrait } from '../personality/personality';
import { PERSONALITY_TRAITS } from '../personality/personality';

/** A template's body, keyed by a stable id so seeding is idempotent. */
export type PersonalityTemplate = PersonalityInput & { id: string };

function traits(overrides: Partial<Record<PersonalityTrait, number>>): Record<PersonalityTrait, number> {
  const all = Object.fromEntries(PERSONALITY_TRAITS.map((t) => [t, 50])) as Record<PersonalityTrait, number>;
  return { ...all, ...overrides };
}

/** Default personalities that ship with the product; they cannot be changed or deleted. */
export const PERSONALITY_TEMPLATES: readonly PersonalityTemplate[] = [
  {
    id: 'balanced',
    name: 'Balanced',
    description: 'Even-tempered and adaptable: a sensible starting point.',
    ...traits({}),
  },
  {
    id: 'analytical',
    name: 'Analytical',
    description: 'Precise, structured and evidence-driven.',
    ...traits({
      openness: 60, conscientiousness: 85, extraversion: 35, agreeableness: 45, neuroticism: 25,
      formality: 70, humor: 20, analyticalDepth: 90, brevity: 65, storytelling: 20, playfulness: 15,
      dramaticism: 10, contrarianism: 55, curiosity: 75, patience: 70,
    }),
  },
  {
    id: 'creative',
    name: 'Creative',
    description: 'Imaginative, playful and expressive.',
    ...traits({
      openness: 90, conscientiousness: 40, extraversion: 70, agreeableness: 60, neuroticism: 40,
      formality: 25, humor: 75, imagination: 95, storytelling: 80, playfulness: 80, dramaticism: 60,
      analyticalDepth: 35, curiosity: 90, brevity: 35,
    }),
  },
  {
    id: 'supportive',
    name: 'Supportive',
    description: 'Warm, patient and encouraging.',
    ...traits({
      openness: 60, conscientiousness: 60, extraversion: 55, agreeableness: 90, neuroticism: 20,
      formality: 35, empathy: 95, encouragement: 90, patience: 90, assertiveness: 35, contrarianism: 10,
    }),
  },
];
