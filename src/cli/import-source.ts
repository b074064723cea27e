import { statSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import type { Bundle } from '../domain/bundle';
import { ValidationError } from '../domain/errors/errors';
import { detectFormat, type ImportFormat } from '../interchange/detect';
import { assertImportSize } from '../interchange/limits';
import { readFishbowlFile, readFishbowlFolder } from '../interchange/fishbowl';
import type { FishbowlSettings } from '../interchange/fishbowl/settings';
import { fishbowlToBundle } from '../interchange/fishbowl/to-bundle';
import type { MappingReport } from '../interchange/mapping-report';
import type { CliIO } from './cli-io';
import { parseJsonInput, readTextInput } from './read-json-input';

/** The formats `import` can bring in today; the others are read (and detected) but not yet mapped to records. */
export const IMPORTABLE = ['fishbowl', 'bundle'] as const;

/** What an import brings in: the records as a bundle, and, for another tool's format, the mapping report. */
export interface ImportSource {
  format: ImportFormat;
  bundle: unknown;
  report?: MappingReport;
}

/** A file's bytes, up to the import cap: a VALIDATION_ERROR naming the path when it cannot be read or is larger. */
async function readFileBytes(path: string): Promise<Buffer> {
  try {
    assertImportSize((await stat(path)).size, path);
    return await readFile(path);
  } catch (error) {
    if (error instanceof ValidationError) throw error;
    const message = `cannot be read: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`;
    throw new ValidationError(`${path} ${message}`, [{ path: '<path>', message }], { context: { operation: 'import' } });
  }
}

function isFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** Reads `path` (a file, a Fishbowl settings folder, or `-` for stdin) as `from` says, or as its content says. */
export async function readImportSource(path: string, from: ImportFormat | undefined, io: CliIO): Promise<ImportSource> {
  if (path !== '-' && isFolder(path)) {
    const format = from ?? (await detectFormat({ dir: path }));
    if (format !== 'fishbowl') throw notImportable(format, path);
    return fromFishbowl(await readFishbowlFolder(path), path);
  }
  // Bytes, not text: a PNG read as UTF-8 would no longer be one.
  const bytes = path === '-' ? Buffer.from(await readTextInput(path, io)) : await readFileBytes(path);
  const text = bytes.toString('utf8');
  const format = from ?? (await detectOrBundle({ name: path === '-' ? 'stdin' : basename(path), bytes }, text));
  if (format === 'bundle') return { format, bundle: parseJsonInput(text) };
  if (format === 'fishbowl') {
    const read = readFishbowlFile(path === '-' ? 'stdin' : basename(path), text);
    return fromFishbowl({ personalities: [], roles: [], agents: [], llmConfigs: [], files: [], ...read }, path);
  }
  throw notImportable(format, path);
}

/**
 * The format the content shows. A JSON object that shows none is taken for a bundle, as import always took it:
 * validating it as one names each field that is wrong, where "no format" would name none.
 */
async function detectOrBundle(input: { name: string; bytes: Buffer }, text: string): Promise<ImportFormat> {
  try {
    return await detectFormat(input);
  } catch (error) {
    if (error instanceof ValidationError && text.trimStart().startsWith('{')) return 'bundle';
    throw error;
  }
}

function fromFishbowl(settings: FishbowlSettings, source: string): ImportSource {
  const { bundle, report } = fishbowlToBundle(settings, source);
  return { format: 'fishbowl', bundle: bundle satisfies Bundle, report };
}

function notImportable(format: ImportFormat, path: string): ValidationError {
  const message = `is a ${format} file; agentcfg reads it, but imports only ${IMPORTABLE.join(' and ')} so far`;
  return new ValidationError(`${path} ${message}`, [{ path: '--from', message }], { context: { operation: 'import', format } });
}
