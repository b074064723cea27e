import { promises as fsp } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { ValidationError } from '../domain/errors/errors';
import { MAX_FILE_BYTES, readAtMost } from '../storage/stored-file';
import type { CliIO } from './cli-io';

/** Largest body the command line reads, so a wrong file cannot exhaust memory (the storage's file limit). */
export const MAX_INPUT_BYTES = MAX_FILE_BYTES;

const TOO_LARGE = `is larger than ${MAX_INPUT_BYTES} bytes`;

/** Reads a JSON body from a file, or from stdin when the path is `-`. Bad input is a VALIDATION_ERROR naming `--file`. */
export async function readJsonInput(path: string, io: CliIO): Promise<unknown> {
  return parseJsonInput(await readTextInput(path, io));
}

/** Reads a body's text from a file, or from stdin when the path is `-` (capped at MAX_INPUT_BYTES). */
export async function readTextInput(path: string, io: CliIO): Promise<string> {
  const text = path === '-' ? await io.readStdin() : await readFileText(path);
  if (Buffer.byteLength(text) > MAX_INPUT_BYTES) throw invalid(TOO_LARGE);
  return text;
}

/** Parses a body's text as JSON: a VALIDATION_ERROR naming `--file` when it is not. */
export function parseJsonInput(text: string): unknown {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (error) {
    throw invalid(`is not valid JSON (${(error as Error).message})`);
  }
  return body; // the service validates it, prototype-pollution keys, control characters and keys included
}

/** Reads at most MAX_INPUT_BYTES (counted, not taken from stat: a device or a pipe has no size). */
async function readFileText(path: string): Promise<string> {
  let handle: FileHandle | undefined;
  try {
    handle = await fsp.open(path, 'r');
    const text = (await handle.stat()).size > MAX_INPUT_BYTES ? null : await readAtMost(handle, MAX_INPUT_BYTES);
    if (text === null) throw invalid(TOO_LARGE);
    return text;
  } catch (error) {
    if (error instanceof ValidationError) throw error;
    throw invalid(`cannot be read: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  } finally {
    await handle?.close();
  }
}

function invalid(message: string): ValidationError {
  return new ValidationError(`input ${message}`, [{ path: '--file', message }], { context: { operation: 'read-input' } });
}
