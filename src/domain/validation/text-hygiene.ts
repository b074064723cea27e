import type { ErrorDetail } from '../errors/agentcfg-error';
import { findSecret, redactSecrets } from './secret-patterns';

// C0 controls except tab (U+0009) and newline (U+000A), DEL, and the C1 controls: they can hide text,
// rewrite a terminal (ESC sequences) or split a line where a reader would not expect it (CR).
// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTER = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;
// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTERS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

/** Where a refused credential should go instead, said in every such refusal. */
export const SECRET_ADVICE = "belong in your app's secure store, not in agent configuration";

function codePoint(char: string): string {
  return `U+${(char.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;
}

/** `text` with control characters written as `\uXXXX`, so it is safe to print. */
export function escapeControls(text: string): string {
  return text.replace(CONTROL_CHARACTERS, (c) => `\\u${(c.codePointAt(0) ?? 0).toString(16).padStart(4, '0')}`);
}

/** `text` made safe to show: no control characters, no credentials. */
export function printable(text: string): string {
  return escapeControls(redactSecrets(text));
}

/** Why one string may not be stored, or null when it is fine. */
export function textProblem(text: string): string | null {
  const control = CONTROL_CHARACTER.exec(text);
  if (control) return `contains control character ${codePoint(control[0])} at position ${control.index}; only newline and tab are allowed`;
  const secret = findSecret(text);
  if (secret?.startsWith('-----')) return `looks like a private key (${secret}); private keys ${SECRET_ADVICE}`;
  if (secret) return `looks like an API key (${secret}); API keys ${SECRET_ADVICE}`;
  return null;
}

function isWalkable(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return Array.isArray(value) || proto === Object.prototype || proto === null;
}

/**
 * Lists every string (object keys included) in a parsed JSON value that holds a control character other than
 * newline and tab, or looks like a credential, by dotted path. Only plain objects and arrays are walked, once
 * each, so class instances (a custom workflow step's handlers, say) and cycles are left alone.
 */
export function findTextProblems(value: unknown, path: readonly string[] = [], seen = new WeakSet<object>()): ErrorDetail[] {
  if (typeof value === 'string') {
    const problem = textProblem(value);
    return problem ? [{ path: path.join('.'), message: problem }] : [];
  }
  if (!isWalkable(value) || seen.has(value)) return [];
  seen.add(value);
  const found: ErrorDetail[] = [];
  for (const [key, item] of Object.entries(value)) {
    const keyPath = [...path, printable(key)];
    const problem = Array.isArray(value) ? null : textProblem(key);
    if (problem) found.push({ path: keyPath.join('.'), message: `field name ${problem}` });
    else found.push(...findTextProblems(item, keyPath, seen));
  }
  return found;
}
