import type { z } from 'zod';
import { ValidationError } from '../../domain/errors/errors';
import { findExcessNesting } from '../../domain/validation/nesting';
import { parseInput } from '../../domain/validation/parse-input';
import { findCredentialFields } from '../credential-fields';

/**
 * Validates one parsed settings file against its schema: nesting first (so the walks after it are bounded), then
 * credential-named fields, then the project's input hygiene (forbidden keys, control characters, credential-looking
 * text) and the schema, each failure naming its field path and none repeating a credential.
 */
export function validateFishbowl<S extends z.ZodType>(schema: S, value: unknown, what: string, source: string): z.output<S> {
  const context = { source };
  const tooDeep = findExcessNesting(value);
  if (tooDeep.length > 0) throw new ValidationError(`invalid ${what}: (value) ${tooDeep[0]?.message ?? ''}`, tooDeep, { context });
  const credentials = findCredentialFields(value);
  if (credentials.length > 0) {
    throw new ValidationError(`invalid ${what}: ${credentials.map((c) => c.path).join(', ')} (credentials are never imported)`, credentials, { context });
  }
  return parseInput(schema, value, what, context);
}
