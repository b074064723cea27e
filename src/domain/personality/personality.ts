import { z } from 'zod';
import { idSchema } from '../ids';
import type { MergePatch } from '../merge-patch';
import { extensionsSchema, recordMetaShape, requiredText, text } from '../record';

/** The Big Five personality traits, each 0–100. */
export const BIG_FIVE_TRAITS = ['openness', 'conscientiousness', 'extraversion', 'agreeableness', 'neuroticism'] as const;

/**
 * The behavioural sliders, each 0–100: agentcfg's fourteen, then ten more that other tools' personalities carry
 * (Fishbowl's among them), so an imported personality keeps every behaviour it had.
 */
export const BEHAVIOUR_SLIDERS = [
  'formality',
  'humor',
  'assertiveness',
  'empathy',
  'storytelling',
  'brevity',
  'imagination',
  'playfulness',
  'dramaticism',
  'analyticalDepth',
  'contrarianism',
  'encouragement',
  'curiosity',
  'patience',
  'metaphorical',
  'detailOrientation',
  'exampleUsage',
  'pedagogical',
  'personalness',
  'proactiveness',
  'riskTaking',
  'responseLength',
  'randomness',
  'focus',
] as const;

/** Every numeric trait of a personality, Big Five first. */
export const PERSONALITY_TRAITS = [...BIG_FIVE_TRAITS, ...BEHAVIOUR_SLIDERS] as const;

/** The name of one numeric trait. */
export type PersonalityTrait = (typeof PERSONALITY_TRAITS)[number];

/** A trait a personality leaves out is unset: the prompt says nothing about it, rather than inventing a value. */
const traitValue = z.number().int('must be an integer').min(0, 'must be at least 0').max(100, 'must be at most 100').optional();
const traitShape = Object.fromEntries(PERSONALITY_TRAITS.map((t) => [t, traitValue])) as Record<
  PersonalityTrait,
  typeof traitValue
>;

/** Caps on free text: generous, but bounded. */
export const PERSONALITY_LIMITS = { name: 100, description: 2000, customInstructions: 32 * 1024 } as const;

const bodyShape = {
  name: requiredText(PERSONALITY_LIMITS.name),
  description: text(PERSONALITY_LIMITS.description).optional(),
  ...traitShape,
  customInstructions: text(PERSONALITY_LIMITS.customInstructions).optional(),
  extensions: extensionsSchema.optional(),
};

/** What a caller sends to create a personality (id optional). */
export const personalityCreateSchema = z.strictObject({ id: idSchema.optional(), ...bodyShape });

/** A stored personality. */
export const personalitySchema = z.strictObject({ ...recordMetaShape, ...bodyShape });

/** A stored personality. */
export type Personality = z.infer<typeof personalitySchema>;
/** Input to create a personality. */
export type PersonalityInput = z.input<typeof personalityCreateSchema>;
/** A partial change to a personality: a merge patch of its body. */
export type PersonalityPatch = MergePatch<Omit<PersonalityInput, 'id'>>;
