import { PERSONALITY_TRAITS } from '../../../src/domain/personality/personality';
import { compareFields, textValue, type FieldRow, type FieldValue } from '../common/field-diff';
import { traitLabel, type Draft } from './draft';

/** A personality draft's fields in the editor's order: its text, then its traits. */
export function personalityFields(draft: Draft): FieldValue[] {
  return [
    { field: 'name', label: 'Name', value: textValue(draft.name) },
    { field: 'description', label: 'Description', value: textValue(draft.description) },
    { field: 'customInstructions', label: 'Custom instructions', value: textValue(draft.customInstructions) },
    ...PERSONALITY_TRAITS.map((trait) => ({ field: trait, label: traitLabel(trait), value: draft.traits[trait] })),
  ];
}

/** Two personality drafts, field by field. */
export function compareDrafts(left: Draft, right: Draft): FieldRow[] {
  return compareFields(personalityFields(left), personalityFields(right));
}
