import { z } from 'zod';
import { FISHBOWL_BIG_FIVE, type FishbowlBigFiveKey } from './behaviours';
import { definedFields, extraFields, fishbowlId, fishbowlRequiredText, fishbowlText, isoDateTime, recordList, recordTimestamp, schemaVersion, unlessNull } from './schema-parts';

const score = z.number('must be a number').min(0, 'must be at least 0').max(100, 'must be at most 100');
const behaviourMap = z
  .record(fishbowlRequiredText(100), score, 'must be an object of scores')
  .refine((map) => Object.keys(map).length <= 200, 'must hold at most 200 behaviours');
const bigFiveSchema = z.strictObject(Object.fromEntries(FISHBOWL_BIG_FIVE.map((key) => [key, score])) as Record<FishbowlBigFiveKey, typeof score>);

const personalitySchema = z
  .looseObject({
    id: fishbowlId,
    name: fishbowlRequiredText(50),
    bigFive: bigFiveSchema.optional(),
    behaviors: behaviourMap,
    customInstructions: fishbowlText(500),
    createdAt: recordTimestamp,
    updatedAt: recordTimestamp,
  })
  .superRefine((personality, context) => {
    // The older layout keeps the Big Five apart; a score in both places would leave one of them unread.
    if (!personality.bigFive) return;
    for (const key of FISHBOWL_BIG_FIVE) {
      if (key in personality.behaviors) context.addIssue({ code: 'custom', path: ['behaviors', key], message: 'is also given in bigFive' });
    }
  });

/** personalities.json as Fishbowl writes it. */
export const personalitiesFileSchema = z.looseObject({
  schemaVersion,
  personalities: recordList(personalitySchema),
  lastUpdated: isoDateTime.optional(),
});

const KNOWN = ['id', 'name', 'bigFive', 'behaviors', 'customInstructions', 'createdAt', 'updatedAt'];

/** Which layout a personality was read from: today's one `behaviors` map, or the older `bigFive` + `behaviors`. */
export type FishbowlPersonalityLayout = 'current' | 'legacy';

/** One Fishbowl personality, the same shape whichever layout it came from. */
export interface FishbowlPersonality {
  id: string;
  name: string;
  layout: FishbowlPersonalityLayout;
  /** The Big Five scores (0–100) that were given. */
  bigFive: Partial<Record<FishbowlBigFiveKey, number>>;
  /** Every other behaviour score (0–100) by Fishbowl's key: today's 22, the older 14, or any other. */
  behaviors: Record<string, number>;
  customInstructions: string;
  createdAt?: string;
  updatedAt?: string;
  /** Fields Fishbowl may add that this reader does not know, kept as they were. */
  extra: Record<string, unknown>;
}

function isBigFive(key: string): key is FishbowlBigFiveKey {
  return (FISHBOWL_BIG_FIVE as readonly string[]).includes(key);
}

/** A validated personality in the one shape both layouts share. */
export function normalisePersonality(personality: z.output<typeof personalitySchema>): FishbowlPersonality {
  const scores = Object.entries(personality.behaviors);
  const legacy = personality.bigFive !== undefined;
  return definedFields({
    id: personality.id,
    name: personality.name,
    layout: legacy ? 'legacy' : 'current',
    bigFive: legacy ? { ...personality.bigFive } : Object.fromEntries(scores.filter(([key]) => isBigFive(key))),
    behaviors: Object.fromEntries(legacy ? scores : scores.filter(([key]) => !isBigFive(key))),
    customInstructions: personality.customInstructions,
    createdAt: unlessNull(personality.createdAt),
    updatedAt: unlessNull(personality.updatedAt),
    extra: extraFields(personality, KNOWN),
  });
}
