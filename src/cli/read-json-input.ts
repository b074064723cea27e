import { promises as fsp } from 'node:fs';
import { ValidationError } from '../domain/errors/errors';
import type { CliIO } from './cli-io';

/** Largest body the command line reads, so a wrong file cannot exhaust memory. */
export const MAX_INPUT_BYTES = 64 * 1024 * 1024;

/** Reads a JSON body from a file, or from stdin when the path is `-`. Bad input is a VALIDATION_ERROR naming `--file`. */
export async function readJsonInput(path: string, io: CliIO): Promise<unknown> {
  const text = path === '-' ? await io.readStdin() : await readFileText(path);
  if (Buffer.byteLength(text) > MAX_INPUT_BYTES) throw invalid(`is larger than ${MAX_INPUT_BYTES} bytes`);
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (error) {
    throw invalid(`is not valid JSON (${(error as Error).message})`);
  }
  return body; // the service validates it, prototype-pollution keys included, naming every failing field
}

async function readFileText(path: string): Promise<string> {
  try {
    const stat = await fsp.stat(path);
    if (stat.size > MAX_INPUT_BYTES) throw invalid(`is larger than ${MAX_INPUT_BYTES} bytes`);
    return await fsp.readFile(path, 'utf8');
  } catch (error) {
    if (error instanceof ValidationError) throw error;
    throw invalid(`cannot be read: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
}

function invalid(message: string): ValidationError {
  return new ValidationError(`input ${message}`, [{ path: '--file', message }], { context: { operation: 'read-input' } });
}
