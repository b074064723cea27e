import { PERSONALITY_TRAITS } from '../../../src/domain/personality/personality';
import { traitLabel, type Draft } from './draft';

/** One field of a personality, as two versions have it (undefined: unset). */
export interface FieldRow {
  field: string;
  label: string;
  left: string | number | undefined;
  right: string | number | undefined;
  differs: boolean;
}

const TEXT_FIELDS: readonly { field: keyof Omit<Draft, 'traits'>; label: string }[] = [
  { field: 'name', label: 'Name' },
  { field: 'description', label: 'Description' },
  { field: 'customInstructions', label: 'Custom instructions' },
];

/** Every field either version sets, field by field, in the editor's order; `differs` marks those that are not equal. */
export function compareDrafts(left: Draft, right: Draft): FieldRow[] {
  const text = (value: string) => (value.trim() ? value : undefined);
  const rows: FieldRow[] = TEXT_FIELDS.map(({ field, label }) => ({ field, label, left: text(left[field]), right: text(right[field]), differs: false }));
  for (const trait of PERSONALITY_TRAITS) rows.push({ field: trait, label: traitLabel(trait), left: left.traits[trait], right: right.traits[trait], differs: false });
  return rows
    .map((row) => ({ ...row, differs: row.left !== row.right }))
    .filter((row) => row.left !== undefined || row.right !== undefined);
}

/** A field's value as the console shows it. */
export function shown(value: string | number | undefined): string {
  return value === undefined ? '(unset)' : String(value);
}
