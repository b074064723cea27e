import type { z } from 'zod';
import type { ErrorContext, ErrorDetail } from '../errors/agentcfg-error';
import { ValidationError } from '../errors/errors';
import { findForbiddenKeys } from './forbidden-keys';

/** Turns Zod issues into one detail per failing field (unknown keys are listed one by one). */
export function issuesToDetails(issues: readonly z.core.$ZodIssue[]): ErrorDetail[] {
  return issues.flatMap((issue) => {
    const base = issue.path.map(String);
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({ path: [...base, key].join('.'), message: `unknown field '${key}'` }));
    }
    return [{ path: base.join('.'), message: issue.message }];
  });
}

/**
 * Validates untrusted input against a schema, or throws a ValidationError naming every failing field.
 * Prototype-pollution keys are refused first, before any schema sees the value.
 */
export function parseInput<S extends z.ZodType>(
  schema: S,
  input: unknown,
  what: string,
  context: ErrorContext = {},
): z.output<S> {
  const forbidden = findForbiddenKeys(input);
  const result = schema.safeParse(input);
  const issues = result.success ? [] : issuesToDetails(result.error.issues);
  // A forbidden key is also an unknown field to a strict schema; name each path once.
  const details = [...forbidden, ...issues.filter((i) => !forbidden.some((f) => f.path === i.path))];
  if (details.length > 0 || !result.success) {
    const fields = details.map((d) => d.path || '(value)').join(', ');
    throw new ValidationError(`invalid ${what}: ${fields}`, details, { context });
  }
  return result.data;
}
