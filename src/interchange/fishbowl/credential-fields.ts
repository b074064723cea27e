import type { ErrorDetail } from '../../domain/errors/agentcfg-error';
import { SECRET_ADVICE, printable } from '../../domain/validation/text-hygiene';

// Compared without case, '-' or '_', so apiKey, api_key and API-KEY are one name.
const CREDENTIAL_NAMES = new Set(['key', 'token', 'secret', 'password', 'passwd', 'credential', 'credentials', 'authorization', 'bearer']);
const CREDENTIAL_ENDINGS = ['apikey', 'token', 'secret', 'password', 'secretkey', 'privatekey', 'accesskey', 'credential', 'credentials'];

/** True when a field or parameter name says it holds a credential (apiKey, api_key, token, clientSecret…). */
export function isCredentialName(name: string): boolean {
  const plain = name.toLowerCase().replace(/[-_\s]/g, '');
  return CREDENTIAL_NAMES.has(plain) || CREDENTIAL_ENDINGS.some((ending) => plain.endsWith(ending));
}

/** An empty or null field carries nothing; anything else under a credential's name is refused. */
function carriesValue(value: unknown): boolean {
  return value !== null && value !== undefined && !(typeof value === 'string' && value.trim() === '');
}

/**
 * Every field anywhere in a parsed Fishbowl file whose name says it holds a credential, by dotted path. Fishbowl
 * keeps API keys in the OS keychain, never in these files, so such a field means the file was edited or is not
 * what it claims; it is refused, and its value is never repeated. The caller has bounded the nesting.
 */
export function findCredentialFields(value: unknown, path: readonly string[] = []): ErrorDetail[] {
  if (typeof value !== 'object' || value === null) return [];
  const found: ErrorDetail[] = [];
  for (const [key, item] of Object.entries(value)) {
    const at = [...path, printable(key)];
    if (!Array.isArray(value) && isCredentialName(key) && carriesValue(item)) {
      found.push({ path: at.join('.'), message: `field '${printable(key)}' looks like a credential; API keys ${SECRET_ADVICE}` });
    } else {
      found.push(...findCredentialFields(item, at));
    }
  }
  return found;
}
