import { basename } from 'node:path';
import { ValidationError } from '../../domain/errors/errors';
import { printable } from '../../domain/validation/text-hygiene';
import { normaliseAgent, agentsFileSchema } from './agents';
import { FISHBOWL_FILES, fishbowlKindOfName, type FishbowlFileKind } from './files';
import { parseFishbowlJson } from './json-text';
import { llmConfigsFileSchema, normaliseLlmConfig } from './llm-configs';
import { normalisePersonality, personalitiesFileSchema } from './personalities';
import { normaliseRole, rolesFileSchema } from './roles';
import { definedFields, extraFields } from './schema-parts';
import type { FishbowlFileInfo, FishbowlSettings } from './settings';
import { fishbowlKindsOf } from './shape';
import { validateFishbowl } from './validate';

const FILE_KNOWN = ['schemaVersion', 'lastUpdated'];

function fileInfo(kind: FishbowlFileKind, source: string, file: { schemaVersion: string; lastUpdated?: string } & Record<string, unknown>): FishbowlFileInfo {
  return definedFields({ kind, source, schemaVersion: file.schemaVersion, lastUpdated: file.lastUpdated, extra: extraFields(file, [...FILE_KNOWN, kind]) });
}

/** Validates parsed JSON as the settings file of `kind`, and types it. */
export function readFishbowlValue(kind: FishbowlFileKind, value: unknown, source: string): Partial<FishbowlSettings> {
  const what = `Fishbowl ${FISHBOWL_FILES[kind]} (${printable(source)})`;
  switch (kind) {
    case 'personalities': {
      const file = validateFishbowl(personalitiesFileSchema, value, what, source);
      return { personalities: file.personalities.map(normalisePersonality), files: [fileInfo(kind, source, file)] };
    }
    case 'roles': {
      const file = validateFishbowl(rolesFileSchema, value, what, source);
      return { roles: file.roles.map(normaliseRole), files: [fileInfo(kind, source, file)] };
    }
    case 'agents': {
      const file = validateFishbowl(agentsFileSchema, value, what, source);
      return { agents: file.agents.map(normaliseAgent), files: [fileInfo(kind, source, file)] };
    }
    case 'llmConfigs': {
      const configs = validateFishbowl(llmConfigsFileSchema, value, what, source);
      return { llmConfigs: configs.map(normaliseLlmConfig), files: [{ kind, source, extra: {} }] };
    }
  }
}

/** The kind of one file: its shape decides; its name only when the shape names no kind. */
function kindOf(value: unknown, name: string): FishbowlFileKind {
  const kinds = fishbowlKindsOf(value);
  if (kinds.length === 1) return kinds[0] as FishbowlFileKind;
  const byName = kinds.length === 0 ? fishbowlKindOfName(basename(name)) : null;
  if (byName) return byName;
  const files = Object.values(FISHBOWL_FILES).join(', ');
  const message =
    kinds.length > 1
      ? `holds ${kinds.join(' and ')}; a Fishbowl settings file holds one of them`
      : `is not a Fishbowl settings file (${files}): expected an object with schemaVersion and personalities, roles or agents, or an array of LLM configurations`;
  throw new ValidationError(`${printable(name)} ${message}`, [{ path: '', message }], { context: { source: name } });
}

/**
 * Reads one Fishbowl settings file alone (personalities.json, roles.json, agents.json or llm_config.json),
 * recognised by its shape; `name` (a file name or path) names it in errors and breaks ties. Throws a
 * ValidationError naming every failing field, and never echoes a credential.
 */
export function readFishbowlFile(name: string, text: string): Partial<FishbowlSettings> {
  const value = parseFishbowlJson(text, name);
  return readFishbowlValue(kindOf(value, name), value, name);
}

/** Reads a file whose kind is already known (by its name in a settings folder). */
export function readFishbowlFileAs(kind: FishbowlFileKind, text: string, source: string): Partial<FishbowlSettings> {
  return readFishbowlValue(kind, parseFishbowlJson(text, source), source);
}
