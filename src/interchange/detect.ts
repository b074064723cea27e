import { stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { bundleSchema } from '../domain/bundle';
import type { ErrorDetail } from '../domain/errors/agentcfg-error';
import { ValidationError } from '../domain/errors/errors';
import { parseJsonSafely } from '../domain/validation/safe-json';
import { printable } from '../domain/validation/text-hygiene';
import { looksLikeCrewAi } from './crewai/shape';
import { parseYamlSafely } from './crewai/safe-yaml';
import { FISHBOWL_FILES } from './fishbowl/files';
import { looksLikeFishbowl } from './fishbowl/shape';
import { lettaLayoutOf } from './letta/shape';
import { assertImportSize } from './limits';

/** The formats an import can read. */
export const IMPORT_FORMATS = ['fishbowl', 'card', 'crewai', 'letta', 'bundle'] as const;

/** One format an import can read. */
export type ImportFormat = (typeof IMPORT_FORMATS)[number];

/** What detection is given: a file's name and bytes, or a folder. */
export type DetectInput = { name: string; bytes: Buffer } | { dir: string };

const KNOWN_FORMATS =
  'a Fishbowl settings folder or file (personalities.json, roles.json, agents.json, llm_config.json), a character card (PNG, or JSON with spec chara_card_v2/v3), a CrewAI agents.yaml, a Letta agent file (.af) or an agentcfg bundle';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const CARD_SPECS: ReadonlySet<unknown> = new Set(['chara_card_v2', 'chara_card_v3']);
const BUNDLE_KEYS = Object.keys(bundleSchema.shape);

function unknownFormat(source: string, details: ErrorDetail[] = []): ValidationError {
  const message = `is in no format agentcfg can import; it reads ${KNOWN_FORMATS}`;
  return new ValidationError(`${printable(source)} ${message}`, [{ path: '', message }, ...details], {
    context: { source, formats: [...IMPORT_FORMATS] },
  });
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** An agentcfg bundle: only the bundle's keys, at least one of them, and the bundle schema accepts it. */
function isBundle(value: unknown): boolean {
  if (!isPlainObject(value)) return false;
  const keys = Object.keys(value);
  return keys.length > 0 && keys.every((key) => BUNDLE_KEYS.includes(key)) && bundleSchema.safeParse(value).success;
}

/** The format of parsed JSON by its shape, or null. A JSON string is looked into once (Letta files do that). */
function formatOfJson(value: unknown, fileName: string, unwrapped = false): ImportFormat | null {
  if (typeof value === 'string' && !unwrapped) {
    try {
      const inner = parseJsonSafely(value);
      return inner.ok ? formatOfJson(inner.value, fileName, true) : null;
    } catch {
      return null; // nested too deeply for the forbidden-key walk: no format of ours
    }
  }
  if (isPlainObject(value) && CARD_SPECS.has(value.spec)) return 'card';
  // Letta before Fishbowl: a Letta file has agents[] too, but Fishbowl's agents.json has no blocks[].
  if (lettaLayoutOf(value) !== null) return 'letta';
  if (looksLikeFishbowl(value, fileName)) return 'fishbowl';
  if (isBundle(value)) return 'bundle';
  // JSON is YAML too: an agents file written as JSON is still CrewAI's.
  if (looksLikeCrewAi(value)) return 'crewai';
  return null;
}

/** The format of a file's bytes, by content: the name only settles an empty llm_config.json. */
function formatOfBytes(name: string, bytes: Buffer): ImportFormat {
  assertImportSize(bytes, name);
  if (bytes.subarray(0, PNG_SIGNATURE.length).equals(PNG_SIGNATURE)) return 'card';
  const text = bytes.toString('utf8').replace(/^\uFEFF/, '');
  let json: ReturnType<typeof parseJsonSafely>;
  try {
    json = parseJsonSafely(text);
  } catch {
    throw unknownFormat(name, [{ path: '', message: 'nests too deeply to read' }]);
  }
  if (json.ok) {
    const format = formatOfJson(json.value, basename(name));
    if (format) return format;
    throw unknownFormat(name);
  }
  if (json.polluted) throw new ValidationError(`${printable(name)}: ${printable(json.reason)}`, [{ path: '', message: printable(json.reason) }], { context: { source: name } });
  let yaml: unknown;
  try {
    yaml = parseYamlSafely(text, name);
  } catch (error) {
    // Neither JSON nor plain YAML: say why YAML refused it too (an alias bomb is worth naming).
    throw unknownFormat(name, error instanceof ValidationError ? error.details.slice(0, 3) : []);
  }
  if (looksLikeCrewAi(yaml)) return 'crewai';
  throw unknownFormat(name);
}

/** A folder is Fishbowl's when it holds any of its four settings files. */
async function formatOfFolder(dir: string): Promise<ImportFormat> {
  try {
    if (!(await stat(dir)).isDirectory()) throw unknownFormat(dir);
  } catch (error) {
    if (error instanceof ValidationError) throw error;
    const message = 'does not exist or cannot be read';
    throw new ValidationError(`${printable(dir)} ${message}`, [{ path: '', message }], { context: { source: dir } });
  }
  for (const file of Object.values(FISHBOWL_FILES)) {
    const found = await stat(join(dir, file)).then(
      (stats) => stats.isFile(),
      () => false,
    );
    if (found) return 'fishbowl';
  }
  throw unknownFormat(dir);
}

/**
 * Which import format `input` is in, judged by content rather than by name: a folder with Fishbowl's settings
 * files; a PNG (a character card); JSON shaped as a card (spec chara_card_v2/v3), a Letta agent file (also one
 * wrapped in a JSON string), a Fishbowl settings file or an agentcfg bundle; or YAML shaped as CrewAI agents.
 * Anything else is a ValidationError whose message names the formats agentcfg reads.
 */
export async function detectFormat(input: DetectInput): Promise<ImportFormat> {
  if ('dir' in input) return formatOfFolder(input.dir);
  return formatOfBytes(input.name, input.bytes);
}
