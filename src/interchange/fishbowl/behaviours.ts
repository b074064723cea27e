/** The Big Five, which Fishbowl keeps inside `behaviors` today and kept in a `bigFive` object before. */
export const FISHBOWL_BIG_FIVE = ['openness', 'conscientiousness', 'extraversion', 'agreeableness', 'neuroticism'] as const;

/** Today's default set: the Big Five and 22 behaviours, all in one `behaviors` map, each 0–100. */
export const FISHBOWL_BEHAVIOURS = [
  ...FISHBOWL_BIG_FIVE,
  'formality',
  'assertiveness',
  'brevity',
  'storytelling',
  'metaphorical',
  'analyticalDepth',
  'imagination',
  'detailOrientation',
  'exampleUsage',
  'pedagogical',
  'empathy',
  'encouragement',
  'patience',
  'personalness',
  'humor',
  'playfulness',
  'curiosity',
  'proactiveness',
  'riskTaking',
  'responseLength',
  'randomness',
  'focus',
] as const;

/** The older layout's 14 behaviours, stored beside a separate `bigFive` object. */
export const FISHBOWL_LEGACY_BEHAVIOURS = [
  'analytical',
  'empathetic',
  'decisive',
  'curious',
  'patient',
  'humorous',
  'formal',
  'optimistic',
  'cautious',
  'creative',
  'logical',
  'supportive',
  'direct',
  'enthusiastic',
] as const;

/** The per-agent adjustments an agent may carry, each −100..100. */
export const FISHBOWL_AGENT_BEHAVIOURS = ['humor', 'formality', 'brevity', 'assertiveness', 'responseLength', 'randomness', 'focus'] as const;

/** One of the Big Five. */
export type FishbowlBigFiveKey = (typeof FISHBOWL_BIG_FIVE)[number];
/** One key of today's behaviour set. */
export type FishbowlBehaviourKey = (typeof FISHBOWL_BEHAVIOURS)[number];
/** One key of the older layout's behaviour set. */
export type FishbowlLegacyBehaviourKey = (typeof FISHBOWL_LEGACY_BEHAVIOURS)[number];
/** One per-agent adjustment. */
export type FishbowlAgentBehaviourKey = (typeof FISHBOWL_AGENT_BEHAVIOURS)[number];
