import { randomUUID } from 'node:crypto';
import { z } from 'zod';

/** Ids are short, lower-case slugs, so no id can name a path outside the data folder. */
export const ID_PATTERN = /^[a-z0-9][a-z0-9_-]{0,63}$/;

/** Schema for a record id. */
export const idSchema = z.string().regex(ID_PATTERN, 'must match ^[a-z0-9][a-z0-9_-]{0,63}$');

/** A fresh id for a record created without one. */
export function newId(): string {
  return randomUUID();
}
