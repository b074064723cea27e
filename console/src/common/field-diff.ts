/** One field of a draft, as the console labels and shows it (undefined: unset). */
export interface FieldValue {
  field: string;
  label: string;
  value: string | number | undefined;
}

/** One field as two versions have it. */
export interface FieldRow {
  field: string;
  label: string;
  left: string | number | undefined;
  right: string | number | undefined;
  differs: boolean;
}

/** Every field either version sets, in the left's order; `differs` marks those that are not equal. */
export function compareFields(left: readonly FieldValue[], right: readonly FieldValue[]): FieldRow[] {
  const rightOf = new Map(right.map((f) => [f.field, f.value]));
  return left
    .map(({ field, label, value }) => ({ field, label, left: value, right: rightOf.get(field), differs: value !== rightOf.get(field) }))
    .filter((row) => row.left !== undefined || row.right !== undefined);
}

/** A text field's value: blank is unset. */
export function textValue(value: string): string | undefined {
  return value.trim() ? value : undefined;
}

/** A field's value as the console shows it. */
export function shown(value: string | number | undefined): string {
  return value === undefined ? '(unset)' : String(value);
}
