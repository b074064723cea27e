import type { ErrorDetail } from '../../domain/errors/agentcfg-error';
import { ValidationError } from '../../domain/errors/errors';
import { printable } from '../../domain/validation/text-hygiene';

const MAX_TEXT = 160;
const MAX_DETAILS = 20;

/** `text` made safe to print and cut short: paths and messages can carry input (a key, a parser's quote of it). */
export function clip(text: string, max = MAX_TEXT): string {
  // Cut before escaping, so a huge input is never walked whole; escaping can lengthen it, so cut again after.
  const safe = printable(text.slice(0, max * 2));
  return safe.length > max || text.length > max * 2 ? `${safe.slice(0, max)}…` : safe;
}

/** The ValidationError for a card file: names the failing paths, with a bounded number of short details. */
export function cardError(source: string, summary: string, details: ErrorDetail[]): ValidationError {
  const shown = details.slice(0, MAX_DETAILS).map((d) => ({ path: clip(d.path), message: clip(d.message) }));
  if (details.length > MAX_DETAILS) shown.push({ path: '', message: `and ${details.length - MAX_DETAILS} more problems` });
  const paths = [...new Set(shown.slice(0, MAX_DETAILS).map((d) => d.path || '(value)'))].join(', ');
  return new ValidationError(`${summary} in ${clip(source)}: ${paths}`, shown, { context: { operation: 'import-card', source } });
}
