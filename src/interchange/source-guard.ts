import type { ErrorDetail } from '../domain/errors/agentcfg-error';
import { ValidationError } from '../domain/errors/errors';
import { findForbiddenKeys } from '../domain/validation/forbidden-keys';
import { findExcessNesting } from '../domain/validation/nesting';
import { findTextProblems, printable } from '../domain/validation/text-hygiene';
import { findCredentialFields, findCredentialValues } from './credential-fields';

/**
 * Refuses a source record that carries a credential anywhere: text that looks like a key, a credential-named field,
 * a URL with a key in its query; and what input hygiene refuses anywhere (control characters, prototype-polluting
 * keys, deep nesting). The ValidationError names each field by its path under `path` and never repeats a value.
 * The readers check all but credential names already; this also covers agents built in code. `alsoFound` adds
 * what a format's own checks found.
 */
export function assertSafeSource(sourceView: unknown, path: readonly string[], what: string, source: string, alsoFound: readonly ErrorDetail[] = []): void {
  const tooDeep = findExcessNesting(sourceView);
  const found = tooDeep.length > 0 ? tooDeep : [...alsoFound, ...findForbiddenKeys(sourceView, [...path]), ...findTextProblems(sourceView, path), ...findCredentialValues(sourceView, path)];
  if (found.length === 0) return;
  const details = found.map((d) => ({ path: printable(d.path), message: printable(d.message) }));
  throw new ValidationError(`invalid ${what}: ${details.map((d) => d.path || '(value)').join(', ')}`, details, { context: { source } });
}

/**
 * Why one source field may not be kept aside, or null: a field named like a credential with any value, text that
 * looks like one, or a control character. The first such place is named by its path (`field` is the field's own,
 * segment by segment), never by its value. For a format that drops such a field rather than refuse its source.
 */
export function unsafeFieldProblem(field: readonly string[], value: unknown): string | null {
  const parent = field.slice(0, -1).map(printable);
  const wrapped = { [field[field.length - 1] ?? '']: value };
  const found = findCredentialFields(wrapped, parent)[0] ?? findTextProblems(wrapped, parent)[0];
  return found ? `${found.path}: ${found.message}` : null;
}
