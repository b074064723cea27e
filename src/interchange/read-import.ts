import { basename } from 'node:path';
import type { Bundle } from '../domain/bundle';
import { ValidationError } from '../domain/errors/errors';
import { printable } from '../domain/validation/text-hygiene';
import { cardToBundle } from './card/to-bundle';
import { parseCardJson } from './card/card';
import { readCardPng } from './card/png-card';
import { isPng } from './card/detect';
import { crewAiToBundle } from './crewai/to-bundle';
import { readCrewAiAgents } from './crewai/read';
import { detectFormat, type DetectInput, type ImportFormat } from './detect';
import { readFishbowlFile } from './fishbowl/read-file';
import { readFishbowlFolder } from './fishbowl/read-folder';
import { fishbowlToBundle } from './fishbowl/to-bundle';
import { lettaToBundle } from './letta/to-bundle';
import { readLettaFile } from './letta/read';
import { assertImportSize } from './limits';
import type { MappingReport } from './mapping-report';

/** What an import brings in: the records as a bundle, and, for another tool's format, the mapping report. */
export interface ImportSource {
  format: ImportFormat;
  /** The records to create (for `bundle`, as given: importBundle checks it). */
  bundle: Bundle | unknown;
  report?: MappingReport;
}

/** What can be read: a folder (Fishbowl settings), or a file's name and bytes. */
export type ImportInput = DetectInput;

/**
 * Reads another tool's configuration (or an agentcfg bundle) as the records it becomes: the format as `from` says,
 * or as the content shows (a JSON object of no known format is taken for a bundle, so its validation names what
 * is wrong). Every format is checked at the edge: a malformed or hostile source is a VALIDATION_ERROR naming the
 * field, and nothing is written here.
 */
export async function readImport(input: ImportInput, from?: ImportFormat): Promise<ImportSource> {
  if ('dir' in input) {
    const format = from ?? (await detectFormat(input));
    if (format !== 'fishbowl') throw notAFolderFormat(format, input.dir);
    const { bundle, report } = fishbowlToBundle(await readFishbowlFolder(input.dir), input.dir);
    return { format, bundle, report };
  }
  assertImportSize(input.bytes, input.name);
  const text = input.bytes.toString('utf8').replace(/^\uFEFF/, '');
  const format = from ?? (await detectOrBundle(input, text));
  const source = input.name;
  switch (format) {
    case 'bundle':
      return { format, bundle: parseBundleJson(text, source) };
    case 'fishbowl': {
      const read = readFishbowlFile(basename(source), text);
      return { format, ...fishbowlToBundle({ personalities: [], roles: [], agents: [], llmConfigs: [], files: [], ...read }, source) };
    }
    case 'card':
      return { format, ...cardToBundle(isPng(input.bytes) ? readCardPng(input.bytes, source) : parseCardJson(text, source), source) };
    case 'crewai':
      return { format, ...crewAiToBundle(readCrewAiAgents(text, source), source) };
    case 'letta':
      return { format, ...lettaToBundle(readLettaFile(text, source), source) };
  }
}

/** The format the content shows; a JSON object that shows none is taken for a bundle, as import always took it. */
async function detectOrBundle(input: { name: string; bytes: Buffer }, text: string): Promise<ImportFormat> {
  try {
    return await detectFormat(input);
  } catch (error) {
    if (error instanceof ValidationError && text.trimStart().startsWith('{')) return 'bundle';
    throw error;
  }
}

/**
 * A bundle's JSON, as it is: JSON.parse makes a `__proto__` key an own property, harmless, and the bundle's
 * validation (importBundle) refuses forbidden keys naming each one's path.
 */
function parseBundleJson(text: string, source: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    const message = `is not valid JSON (${printable((error as Error).message)})`;
    throw new ValidationError(`${printable(source)} ${message}`, [{ path: '', message }], { context: { operation: 'import', format: 'bundle' } });
  }
}

function notAFolderFormat(format: ImportFormat, dir: string): ValidationError {
  const message = `is a folder: only Fishbowl settings are read from a folder, not ${format}; give the file itself`;
  return new ValidationError(`${printable(dir)} ${message}`, [{ path: '--from', message }], { context: { operation: 'import', format } });
}
