import { PERSONALITY_TRAITS, type PersonalityTrait } from '../../../src/domain/personality/personality';
import type { StoredRecord } from '../api';

/** A personality as the editor holds it: its text, and each trait's value (absent when unset). */
export interface Draft {
  name: string;
  description: string;
  customInstructions: string;
  traits: Partial<Record<PersonalityTrait, number>>;
}

/** A fresh personality: named, every trait unset. */
export function emptyDraft(): Draft {
  return { name: '', description: '', customInstructions: '', traits: {} };
}

/** The draft of a stored personality. */
export function draftOf(record: StoredRecord): Draft {
  const traits: Partial<Record<PersonalityTrait, number>> = {};
  for (const trait of PERSONALITY_TRAITS) {
    const value = record[trait];
    if (typeof value === 'number') traits[trait] = value;
  }
  const text = (field: string) => (typeof record[field] === 'string' ? (record[field] as string) : '');
  return { name: record.name, description: text('description'), customInstructions: text('customInstructions'), traits };
}

/** The body of `POST /personalities`: only what is set. */
export function createBody(draft: Draft): Record<string, unknown> {
  return {
    name: draft.name,
    ...(draft.description.trim() ? { description: draft.description } : {}),
    ...draft.traits,
    ...(draft.customInstructions.trim() ? { customInstructions: draft.customInstructions } : {}),
  };
}

/** A JSON merge patch that makes a stored personality match the draft (null removes an unset trait or empty text). */
export function mergePatch(draft: Draft): Record<string, unknown> {
  const patch: Record<string, unknown> = {
    name: draft.name,
    description: draft.description.trim() ? draft.description : null,
    customInstructions: draft.customInstructions.trim() ? draft.customInstructions : null,
  };
  for (const trait of PERSONALITY_TRAITS) patch[trait] = draft.traits[trait] ?? null;
  return patch;
}

/** "analyticalDepth" → "Analytical depth". */
export function traitLabel(trait: PersonalityTrait): string {
  const words = trait.replace(/([A-Z])/g, ' $1').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}
