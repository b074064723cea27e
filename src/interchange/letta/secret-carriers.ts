import type { ErrorDetail } from '../../domain/errors/agentcfg-error';
import { SECRET_ADVICE, printable } from '../../domain/validation/text-hygiene';

/** Agent keys holding the environment a Letta server gives an agent's tools: names with secret values. */
export const SECRET_CARRIERS: readonly string[] = ['tool_exec_environment_variables', 'secrets'];

function isSet(value: unknown): boolean {
  return typeof value === 'string' ? value.trim() !== '' : typeof value === 'number';
}

/**
 * Where a carrier holds a value, by path: `[{key, value}]` entries with a value, or `{NAME: value}` pairs. Letta
 * leaves the values out of an export; one that is there is a secret, refused without repeating it. Found by
 * where it sits, not by its name, so the shared credential search (credential-fields) cannot find it.
 */
export function carriedSecrets(carrier: unknown, path: readonly string[]): ErrorDetail[] {
  if (typeof carrier !== 'object' || carrier === null) return [];
  const message = `holds a value for a tool's environment; secrets ${SECRET_ADVICE}`;
  if (Array.isArray(carrier)) {
    return carrier.flatMap((entry, index) =>
      typeof entry === 'object' && entry !== null && isSet((entry as Record<string, unknown>).value) ? [{ path: [...path, String(index), 'value'].join('.'), message }] : [],
    );
  }
  return Object.entries(carrier).flatMap(([name, value]) => (isSet(value) ? [{ path: [...path, printable(name)].join('.'), message }] : []));
}
