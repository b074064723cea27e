import { z } from 'zod';

/** Fishbowl ids are free strings (slugs or UUIDs); the cap only bounds a hostile file. */
export const fishbowlId = z.string('must be a string').min(1, 'must not be empty').max(500, 'must be at most 500 characters');

/** Text of at most `max` characters. */
export function fishbowlText(max: number): z.ZodString {
  return z.string('must be a string').max(max, `must be at most ${max} characters`);
}

/** Text of 1..`max` characters that is not only blanks. */
export function fishbowlRequiredText(max: number): z.ZodString {
  return fishbowlText(max).min(1, 'must not be empty').regex(/\S/, 'must not be blank');
}

/** An ISO date-time (any offset), as Fishbowl writes them. */
export const isoDateTime = z.iso.datetime({ offset: true, error: 'must be an ISO date-time' });

/** Record timestamps: Fishbowl writes null after a hand edit, so null is allowed. */
export const recordTimestamp = isoDateTime.nullish();

/** Every settings file's version stamp, e.g. "1.0.0". */
export const schemaVersion = fishbowlRequiredText(50);

/** A file's list of records: bounded so one file cannot hold an unbounded number. */
export function recordList<T extends z.ZodType>(record: T): z.ZodArray<T> {
  return z.array(record, 'must be an array').max(10_000, 'must hold at most 10000 entries');
}

/** The fields of `value` that `known` does not name: kept aside, so an import loses nothing. */
export function extraFields(value: Record<string, unknown>, known: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(Object.entries(value).filter(([key]) => !known.includes(key)));
}

/** `value` unless it is null: Fishbowl's "not set". */
export function unlessNull<T>(value: T | null | undefined): T | undefined {
  return value ?? undefined;
}

/** `value` without its undefined fields, so an absent field is absent (not present as undefined). */
export function definedFields<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, item]) => item !== undefined)) as T;
}
