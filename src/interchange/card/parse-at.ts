import type { z } from 'zod';
import { ValidationError } from '../../domain/errors/errors';
import { parseInput } from '../../domain/validation/parse-input';
import { clip } from './card-error';

/**
 * parseInput (the schema and every input check), each failing path named where the value sits in what the caller
 * was given (`at`: `data.extensions.agentcfg`, `agents.0`), so the error points into the card or the bundle.
 */
export function parseAt<S extends z.ZodType>(schema: S, value: unknown, what: string, at: string, source?: string): z.output<S> {
  try {
    return parseInput(schema, value, what);
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    const details = error.details.map((d) => ({ path: d.path === '' ? at : `${at}.${d.path}`, message: d.message }));
    const where = source === undefined ? '' : ` in ${clip(source)}`;
    throw new ValidationError(`invalid ${what}${where}: ${details.map((d) => clip(d.path)).join(', ')}`, details, {
      context: { ...error.context, ...(source === undefined ? {} : { source }) },
    });
  }
}
