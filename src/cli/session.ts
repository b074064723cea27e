import { resolve } from 'node:path';
import { Writable } from 'node:stream';
import pino from 'pino';
import { createConfigurationService } from '../create-configuration-service';
import { IConfigurationService } from '../services/configuration/configuration-service';
import { createContainer } from '../di/container';
import { confine } from '../storage/confined-path';
import type { CliIO } from './cli-io';
import type { Principal } from '../security/security-context';

/** The data folder used when neither `--dir` nor AGENTCFG_DIR names one. */
export const DEFAULT_DATA_DIR = './agentcfg-data';

/** The data folder a command works on: `--dir`, else $AGENTCFG_DIR, else ./agentcfg-data. */
export function dataDirFrom(dir: string | undefined, io: CliIO): string {
  return resolve(dir ?? io.env.AGENTCFG_DIR ?? DEFAULT_DATA_DIR);
}

/**
 * A logger for one command: everything structured into `<dir>/logs/agentcfg.log`, and warnings and errors
 * also as one readable line on stderr, so a person sees that a file was repaired.
 */
function commandLogger(dataDir: string, io: CliIO): pino.Logger {
  const toStderr = new Writable({
    write(chunk: Buffer, _encoding, done) {
      const entry = JSON.parse(chunk.toString('utf8')) as { level: number; msg: string };
      io.stderr(`agentcfg: ${entry.level >= 50 ? 'error' : 'warning'}: ${entry.msg}\n`);
      done();
    },
  });
  const file = pino.destination({ dest: resolve(dataDir, 'logs', 'agentcfg.log'), sync: true, mkdir: true });
  return pino({ level: 'info' }, pino.multistream([{ stream: file, level: 'info' }, { stream: toStderr, level: 'warn' }]));
}

/**
 * Opens the data folder for one command: creating it, seeding templates and recovering unfinished workflows,
 * unless `initialize` is false (verify must see the folder exactly as it is).
 */
export async function openConfiguration(
  dir: string | undefined,
  io: CliIO,
  options: { initialize?: boolean; principal?: Principal } = {},
): Promise<IConfigurationService> {
  const dataDir = dataDirFrom(dir, io);
  await confine(dataDir, resolve(dataDir, 'logs', 'agentcfg.log')); // before pino opens (and creates) it
  const logger = commandLogger(dataDir, io);
  const principal = options.principal ? { principal: options.principal } : {};
  if (options.initialize === false) return createContainer({ dataDir, logger, ...principal }).get<IConfigurationService>(IConfigurationService);
  return createConfigurationService({ dataDir, logger, ...principal });
}

/**
 * Records an unexpected error with its stack in `<dir>/logs/agentcfg.log` (never on the output). Best effort:
 * a folder that cannot be logged to must not hide the error being reported.
 */
export async function logInternalError(dir: string | undefined, io: CliIO, error: unknown): Promise<void> {
  try {
    const dataDir = dataDirFrom(dir, io);
    const dest = await confine(dataDir, resolve(dataDir, 'logs', 'agentcfg.log'));
    pino({ level: 'error' }, pino.destination({ dest, sync: true, mkdir: true })).error({ err: error }, 'internal error');
  } catch {
    // the error itself is still reported on the output
  }
}
