import { z } from 'zod';
import { idSchema } from './ids';

/** One kind of configuration record (the registry in kinds/registry.ts lists them). */
export type { RecordKind } from './kinds/registry';

/** Fields every stored record carries, managed by the services rather than by callers. */
export const recordMetaShape = {
  id: idSchema,
  isTemplate: z.boolean(),
  version: z.number().int().positive(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
};

/** The service-managed fields of a stored record. */
export interface RecordMeta {
  id: string;
  isTemplate: boolean;
  version: number;
  createdAt: string;
  updatedAt: string;
}

/** Names of the fields a caller may never set or patch directly. */
export const MANAGED_FIELDS = ['isTemplate', 'version', 'createdAt', 'updatedAt', 'resolution'] as const;

/** Free text with a generous cap, so one bad input cannot bloat a file. */
export function text(max: number): z.ZodString {
  return z.string().max(max, `must be at most ${max} characters`);
}

/** Non-blank text with a cap. */
export function requiredText(max: number): z.ZodString {
  return text(max).regex(/\S/, 'must not be blank');
}

/** How large a record's extensions may be, as JSON text: room for what other tools keep, not for a payload. */
export const MAX_EXTENSIONS_BYTES = 16 * 1024;

/**
 * What other tools keep about a record that agentcfg has no field for (a card's `extensions`, a source's unknown
 * keys): kept as given, under names the tool chooses, so an export can give it back. Its strings are checked like
 * every other string of a record (see parseInput).
 */
export const extensionsSchema = z
  .record(z.string().min(1).max(200), z.json())
  .refine((value) => Buffer.byteLength(JSON.stringify(value)) <= MAX_EXTENSIONS_BYTES, `must be at most ${MAX_EXTENSIONS_BYTES} bytes as JSON`);

/** A model endpoint: an http(s) URL with no user name or password in it (a credential must not ride in a URL). */
export function endpointUrl(max: number): z.ZodType<string> {
  return text(max).refine((value) => {
    try {
      const url = new URL(value);
      return (url.protocol === 'http:' || url.protocol === 'https:') && url.username === '' && url.password === '';
    } catch {
      return false;
    }
  }, 'must be an http or https URL without a user name or password');
}
