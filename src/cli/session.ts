import { accessSync, constants, existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { Writable } from 'node:stream';
import pino from 'pino';
import { IConfigurationService } from '../services/configuration/configuration-service';
import { createContainer } from '../di/container';
import { confine } from '../storage/confined-path';
import type { CliIO } from './cli-io';
import type { Principal } from '../security/security-context';
import { AgentcfgError, hasErrorCode } from '../domain/errors/agentcfg-error';
import { ValidationError } from '../domain/errors/errors';
import { ErrorCode } from '../domain/errors/error-code';
import { environmentFaultOf } from '../storage/io-errors';
import { printable } from '../domain/validation/text-hygiene';

/** The data folder used when neither `--dir` nor AGENTCFG_DIR names one. */
export const DEFAULT_DATA_DIR = './agentcfg-data';

/** The data folder a command works on: `--dir`, else $AGENTCFG_DIR, else ./agentcfg-data. */
export function dataDirFrom(dir: string | undefined, io: CliIO): string {
  return resolve(dir ?? io.env.AGENTCFG_DIR ?? DEFAULT_DATA_DIR);
}

/** Whether this process may write in the data folder: false on read-only media or without permission. */
function isWritable(dataDir: string): boolean {
  try {
    accessSync(dataDir, constants.W_OK);
    return true;
  } catch (error) {
    return environmentFaultOf(error) === null; // absent: a write creates it
  }
}

/**
 * A logger for one command: everything structured into `<dir>/logs/agentcfg.log`, and warnings and errors
 * also as one readable line on stderr, so a person sees that a file was repaired. Where the log file cannot be
 * written (read-only media, a full disk), only the stderr lines are kept: a log must never fail a command.
 */
function commandLogger(dataDir: string, io: CliIO, toFile: boolean): pino.Logger {
  const toStderr = new Writable({
    write(chunk: Buffer, _encoding, done) {
      const entry = JSON.parse(chunk.toString('utf8')) as { level: number; msg: string };
      io.stderr(`agentcfg: ${entry.level >= 50 ? 'error' : 'warning'}: ${entry.msg}\n`);
      done();
    },
  });
  const streams: pino.StreamEntry[] = [{ stream: toStderr, level: 'warn' }];
  const file = toFile ? logFile(dataDir) : null;
  if (file) streams.push({ stream: file, level: 'info' });
  return pino({ level: 'info' }, pino.multistream(streams));
}

/** The log file's stream, or null when it cannot be opened; a write that fails later is dropped, not thrown. */
function logFile(dataDir: string): pino.DestinationStream | null {
  try {
    const file = pino.destination({ dest: resolve(dataDir, 'logs', 'agentcfg.log'), sync: true, mkdir: true });
    file.on('error', () => undefined);
    return { write: (text: string) => { try { file.write(text); } catch { /* a full disk loses log lines, not the command */ } } };
  } catch {
    return null;
  }
}

/** How a command opens the data folder. */
export interface OpenOptions {
  /**
   * Start-up work (creating the folder, seeding templates, recovering unfinished workflows): true for commands
   * that change records; 'if-writable' for commands that only read, which skip it, with one warning, where the
   * folder cannot be written; false for commands that must see the folder exactly as it is.
   */
  initialize?: boolean | 'if-writable';
  /** The folder must exist (reads): NOT_FOUND naming it otherwise. */
  mustExist?: boolean;
  principal?: Principal;
  /** A PostgreSQL database to work on instead of a data folder (`--store`, else $AGENTCFG_STORE). */
  store?: string;
}

/** An opened data folder, and whether this process can write there. */
export interface OpenedFolder {
  configuration: IConfigurationService;
  writable: boolean;
}

/**
 * Opens the data folder for one command: creating it, seeding templates and recovering unfinished workflows,
 * unless `initialize` says otherwise (see OpenOptions).
 */
export async function openConfiguration(dir: string | undefined, io: CliIO, options: OpenOptions = {}): Promise<OpenedFolder> {
  const store = options.store ?? io.env.AGENTCFG_STORE;
  if (store !== undefined && store !== '') return openDatabase(dir, store, io, options);
  const dataDir = dataDirFrom(dir, io);
  if (options.mustExist && !existsSync(dataDir)) {
    throw new AgentcfgError(ErrorCode.NOT_FOUND, `the data folder ${dataDir} does not exist; create it with 'agentcfg init', or name another with --dir`, {
      context: { operation: 'open', dataDir },
    });
  }
  await confine(dataDir, resolve(dataDir, 'logs', 'agentcfg.log')); // before pino opens (and creates) it
  const writable = isWritable(dataDir);
  const logger = commandLogger(dataDir, io, writable);
  const container = createContainer({ dataDir, logger, ...(options.principal ? { principal: options.principal } : {}), ...(io.fileSystem ? { fileSystem: io.fileSystem } : {}) });
  const configuration = container.get<IConfigurationService>(IConfigurationService);
  const skipped = (why: string) => io.stderr(`agentcfg: warning: ${why}; start-up recovery and template seeding were skipped (reads work; changes are refused until the folder can be written)\n`);
  if (options.initialize === false) return { configuration, writable };
  if (options.initialize === 'if-writable') {
    if (!writable) {
      skipped(`the data folder ${dataDir} cannot be written (read-only or no permission)`);
      return { configuration, writable };
    }
    try {
      await configuration.initialize();
    } catch (error) {
      if (!hasErrorCode(error, ErrorCode.STORAGE_UNAVAILABLE)) throw error;
      skipped(printable(error.message));
      return { configuration, writable: false };
    }
    return { configuration, writable };
  }
  await configuration.initialize();
  return { configuration, writable };
}

/**
 * Opens a PostgreSQL store for one command. Its log lines go to stderr only (there is no data folder to keep a
 * log file in); start-up work is as for a folder, the schema brought up to date when the role may.
 */
async function openDatabase(dir: string | undefined, url: string, io: CliIO, options: OpenOptions): Promise<OpenedFolder> {
  if (dir !== undefined) {
    throw new ValidationError('give either --dir (a data folder) or --store (a database), not both', [{ path: '--store', message: 'cannot be given with --dir' }], { context: { operation: 'open' } });
  }
  if (!/^postgres(ql)?:\/\//.test(url)) {
    throw new ValidationError('invalid store: must be a postgres:// or postgresql:// URL', [{ path: '--store', message: 'must be a postgres:// or postgresql:// URL' }], { context: { operation: 'open' } });
  }
  const logger = commandLogger('', io, false);
  const container = createContainer({ store: { url }, logger, ...(options.principal ? { principal: options.principal } : {}) });
  const configuration = container.get<IConfigurationService>(IConfigurationService);
  if (options.initialize !== false) await configuration.initialize();
  return { configuration, writable: true };
}

/**
 * Records an unexpected error with its stack in `<dir>/logs/agentcfg.log` (never on the output). Best effort:
 * a folder that cannot be logged to must not hide the error being reported.
 */
export async function logInternalError(dir: string | undefined, io: CliIO, error: unknown): Promise<void> {
  try {
    const dataDir = dataDirFrom(dir, io);
    await confine(dataDir, resolve(dataDir, 'logs', 'agentcfg.log'));
    const file = logFile(dataDir);
    if (file) pino({ level: 'error' }, file).error({ err: error }, 'internal error');
  } catch {
    // the error itself is still reported on the output
  }
}
