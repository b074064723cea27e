import type { z } from 'zod';
import type { ErrorContext, ErrorDetail } from '../errors/agentcfg-error';
import { ValidationError } from '../errors/errors';
import { findForbiddenKeys } from './forbidden-keys';
import { findExcessNesting } from './nesting';
import { findTextProblems, printable } from './text-hygiene';

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

function isUnder(path: string, parent: string): boolean {
  return path === parent || path.startsWith(`${parent}.`);
}

/**
 * Validates untrusted input against a schema, or throws a ValidationError naming every failing field.
 * Prototype-pollution keys are refused first, before any schema sees the value; so are strings with control
 * characters (other than newline and tab) and strings that look like credentials. Details never repeat a
 * control character or a credential, so an error is always safe to print.
 */
export function parseInput<S extends z.ZodType>(
  schema: S,
  input: unknown,
  what: string,
  context: ErrorContext = {},
): z.output<S> {
  const tooDeep = findExcessNesting(input);
  if (tooDeep.length > 0) throw new ValidationError(`invalid ${what}: (value) ${tooDeep[0]?.message ?? ''}`, tooDeep, { context });
  const forbidden = findForbiddenKeys(input);
  const text = findTextProblems(input).filter((t) => !forbidden.some((f) => isUnder(t.path, f.path)));
  const result = schema.safeParse(input);
  const issues = result.success ? [] : issuesToDetails(result.error.issues);
  // A forbidden key is also an unknown field to a strict schema; name each path once.
  const details = [...forbidden, ...text, ...issues.filter((i) => !forbidden.some((f) => f.path === i.path))].map((d) => ({
    path: printable(d.path),
    message: printable(d.message),
  }));
  if (details.length > 0 || !result.success) {
    const fields = details.map((d) => d.path || '(value)').join(', ');
    throw new ValidationError(`invalid ${what}: ${fields}`, details, { context });
  }
  return result.data;
}
