import type { ErrorDetail } from '../domain/errors/agentcfg-error';
import { SECRET_ADVICE, printable } from '../domain/validation/text-hygiene';

// Compared without case, '-' or '_', so apiKey, api_key and API-KEY are one name.
const CREDENTIAL_NAMES = new Set(['key', 'token', 'secret', 'password', 'passwd', 'credential', 'credentials', 'authorization', 'bearer']);
const CREDENTIAL_ENDINGS = ['apikey', 'token', 'secret', 'password', 'secretkey', 'privatekey', 'accesskey', 'credential', 'credentials'];

/** True when a field or parameter name says it holds a credential (apiKey, api_key, token, clientSecret…). */
export function isCredentialName(name: string): boolean {
  const plain = name.toLowerCase().replace(/[-_\s]/g, '');
  return CREDENTIAL_NAMES.has(plain) || CREDENTIAL_ENDINGS.some((ending) => plain.endsWith(ending));
}

/** True when `text` is an http(s) URL with a credential-named parameter in its query (`?api_key=…`). */
function hasCredentialQuery(text: string): boolean {
  if (!/^https?:\/\//i.test(text)) return false;
  try {
    return [...new URL(text).searchParams.keys()].some(isCredentialName);
  } catch {
    return false;
  }
}

/** What one search counts as a credential, and what its refusal says should hold it instead. */
interface CredentialRule {
  /** Whether a value under a credential's name carries one. */
  carries: (value: unknown) => boolean;
  /** Whether a URL with a credential in its query counts too. */
  queries: boolean;
  /** What the advice names: "API keys belong in…". */
  noun: string;
}

function walk(value: unknown, path: readonly string[], rule: CredentialRule): ErrorDetail[] {
  if (rule.queries && typeof value === 'string' && hasCredentialQuery(value)) {
    return [{ path: path.join('.'), message: `is a URL with a credential in its query; ${rule.noun} ${SECRET_ADVICE}` }];
  }
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([key, item]) => {
    const at = [...path, printable(key)];
    if (!Array.isArray(value) && isCredentialName(key) && rule.carries(item)) {
      return [{ path: at.join('.'), message: `field '${printable(key)}' looks like a credential; ${rule.noun} ${SECRET_ADVICE}` }];
    }
    return walk(item, at, rule);
  });
}

// Files that never hold a credential (Fishbowl keeps keys in the OS keychain): any value under such a name is one.
const ANY_VALUE: CredentialRule = {
  carries: (value) => value !== null && value !== undefined && !(typeof value === 'string' && value.trim() === ''),
  queries: false,
  noun: 'API keys',
};

// Agents may describe a credential parameter in a tool's schema (`api_key: {type: string}`): only text or a number is one.
const SCALAR_VALUE: CredentialRule = {
  carries: (value) => (typeof value === 'string' && value.trim() !== '') || typeof value === 'number',
  queries: true,
  noun: 'credentials',
};

/**
 * Every field anywhere in `value` whose name says it holds a credential and that holds any value (an empty or null
 * one carries nothing), by dotted path under `path`, never repeating the value. For sources that should hold no
 * credential at all: Fishbowl's files, the fields a card keeps aside. The caller has bounded the nesting.
 */
export function findCredentialFields(value: unknown, path: readonly string[] = []): ErrorDetail[] {
  return walk(value, path, ANY_VALUE);
}

/**
 * Fields whose name says they hold a credential and that carry text or a number, and URLs with one in their query,
 * by dotted path under `path`, never repeating the value. For agents, whose tools may describe such a parameter.
 */
export function findCredentialValues(value: unknown, path: readonly string[]): ErrorDetail[] {
  return walk(value, path, SCALAR_VALUE);
}
