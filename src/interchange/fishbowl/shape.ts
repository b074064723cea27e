import { fishbowlKindOfName, type FishbowlFileKind } from './files';

const LISTED_KINDS = ['personalities', 'roles', 'agents'] as const;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The kinds a parsed file's shape claims: llmConfigs for a bare array, else the record lists it holds. */
export function fishbowlKindsOf(value: unknown): FishbowlFileKind[] {
  if (Array.isArray(value)) return ['llmConfigs'];
  if (!isPlainObject(value)) return [];
  return LISTED_KINDS.filter((kind) => Object.hasOwn(value, kind));
}

/** An LLM configuration by its telling fields, for recognising a bare array. */
function looksLikeLlmConfig(value: unknown): boolean {
  return isPlainObject(value) && typeof value.customName === 'string' && typeof value.provider === 'string';
}

/**
 * Whether parsed JSON looks like a Fishbowl settings file (a quick check for detection, not validation): a
 * schemaVersion string and one record list, or a bare array of LLM configurations (`[]` only under its own name).
 */
export function looksLikeFishbowl(value: unknown, fileName?: string): boolean {
  if (Array.isArray(value)) {
    if (value.length === 0) return fileName !== undefined && fishbowlKindOfName(fileName) === 'llmConfigs';
    return value.every(looksLikeLlmConfig);
  }
  if (!isPlainObject(value) || typeof value.schemaVersion !== 'string') return false;
  const kinds = fishbowlKindsOf(value);
  return kinds.length === 1 && Array.isArray(value[kinds[0] as string]);
}
