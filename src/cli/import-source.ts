import { statSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { ValidationError } from '../domain/errors/errors';
import type { ImportFormat } from '../interchange/detect';
import { assertImportSize } from '../interchange/limits';
import { readImport, type ImportInput, type ImportSource } from '../interchange/read-import';
import type { CliIO } from './cli-io';
import { readTextInput } from './read-json-input';

/** A file's bytes, up to the import cap: a VALIDATION_ERROR naming the path and `option` when it cannot be read or is larger. */
export async function readFileBytes(path: string, option = '<path>', operation = 'import'): Promise<Buffer> {
  try {
    assertImportSize((await stat(path)).size, path);
    return await readFile(path);
  } catch (error) {
    if (error instanceof ValidationError) throw error;
    const message = `cannot be read: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`;
    throw new ValidationError(`${path} ${message}`, [{ path: option, message }], { context: { operation } });
  }
}

function isFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** What `import <path>` reads: a folder, a file's bytes (bytes, not text: a PNG read as UTF-8 would no longer be one), or stdin. */
async function importInput(path: string, io: CliIO): Promise<ImportInput> {
  if (path === '-') return { name: 'stdin', bytes: Buffer.from(await readTextInput(path, io)) };
  if (isFolder(path)) return { dir: path };
  return { name: path, bytes: await readFileBytes(path) };
}

/** Reads `path` (a file, a Fishbowl settings folder, or `-` for stdin) as `from` says, or as its content says. */
export async function readImportSource(path: string, from: ImportFormat | undefined, io: CliIO): Promise<ImportSource> {
  return readImport(await importInput(path, io), from);
}
