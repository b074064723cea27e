import { personalityCreateSchema, personalitySchema, type Personality } from '../personality/personality';
import { PERSONALITY_TEMPLATES } from '../templates/personality-templates';
import type { KindDefinition } from './kind';

/** Personalities: Big Five traits and behavioural sliders; agents use them. */
export const personalityKind = {
  name: 'personality',
  plural: 'personalities',
  createSchema: personalityCreateSchema,
  recordSchema: personalitySchema,
  references: [],
  templates: PERSONALITY_TEMPLATES,
  fileName: 'personalities.json',
  cascadeDelete: true,
  columns: { headers: [], cells: () => [] },
} as const satisfies KindDefinition<Personality>;
