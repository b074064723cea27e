import type { Command } from 'commander';
import type { IConfigurationService } from '../services/configuration/configuration-service';
import type { CliIO } from './cli-io';
import { Output, toCliError } from './output';
import { logInternalError, openConfiguration, type OpenedFolder, type OpenOptions } from './session';
import { hasErrorCode, isAgentcfgError } from '../domain/errors/agentcfg-error';
import { ErrorCode } from '../domain/errors/error-code';
import { typedIfEnvironmental } from '../storage/io-errors';
import { principalFrom } from './principal';
import { printable } from '../domain/validation/text-hygiene';

/** What a command's action gets: the output, the IO seam, and the opened configuration. */
export interface CommandContext {
  io: CliIO;
  output: Output;
  dir: string | undefined;
  configuration: () => Promise<IConfigurationService>;
  /**
   * The configuration for a command that only reads: the folder must exist (NOT_FOUND otherwise), and where it
   * cannot be written (read-only media, a full disk) start-up work is skipped with one warning instead of failing.
   */
  reading: () => Promise<IConfigurationService>;
  /** The configuration without start-up work (no seeding, no recovery), for commands that only look. */
  configurationAsIs: () => Promise<IConfigurationService>;
  /** The global options as given. */
  globals: GlobalOptions;
  /** As `configurationAsIs`, acting as the principal these flags give (for a command that reads `--actor` itself). */
  configurationAsIsFor: (flags: Pick<GlobalOptions, 'actor' | 'as'>) => Promise<IConfigurationService>;
}

/** Global options, read from wherever they appeared on the command line. */
export interface GlobalOptions {
  dir?: string;
  store?: string;
  json?: boolean;
  actor?: string;
  as?: string;
}

/** Holds the exit code the action chose, since commander's actions return nothing. */
export interface CommandResult {
  exitCode: number;
}

/**
 * Wraps a command's work: opens the configuration on demand, turns thrown errors into output, and records
 * the exit code.
 */
export function action<A extends unknown[]>(
  io: CliIO,
  result: CommandResult,
  work: (ctx: CommandContext, ...args: A) => Promise<number>,
): (...args: [...A, Command]) => Promise<void> {
  return async (...args) => {
    const command = args[args.length - 1] as Command;
    const globals = command.optsWithGlobals<GlobalOptions>();
    const output = new Output(io, globals.json === true);
    let opened: Promise<IConfigurationService> | undefined;
    /** Set when the command opened the folder to work on it (not just to look): it ends by compacting. */
    let working: Promise<OpenedFolder> | undefined;
    const open = (options: OpenOptions, flags: Pick<GlobalOptions, 'actor' | 'as'> = globals) =>
      openConfiguration(globals.dir, io, { ...options, principal: principalFrom(flags, io), ...(globals.store !== undefined ? { store: globals.store } : {}) });
    const configurationOf = async (folder: Promise<OpenedFolder>) => {
      const { configuration } = await folder;
      output.watchHealth(() => configuration.health());
      return configuration;
    };
    const ctx: CommandContext = {
      io,
      output,
      dir: globals.dir,
      globals,
      configuration: () => (opened ??= configurationOf((working = open({ initialize: true })))),
      reading: () => (opened ??= configurationOf((working = open({ initialize: 'if-writable', mustExist: true })))),
      configurationAsIs: () => (opened ??= configurationOf(open({ initialize: false, mustExist: true }))),
      configurationAsIsFor: (flags) => (opened ??= configurationOf(open({ initialize: false, mustExist: true }, flags))),
    };
    let storageFault = false;
    try {
      result.exitCode = await work(ctx, ...(args.slice(0, -1) as A));
    } catch (thrown) {
      const error = typedIfEnvironmental(thrown);
      if (!isAgentcfgError(error)) await logInternalError(globals.dir, io, error);
      storageFault = hasErrorCode(error, ErrorCode.STORAGE_UNAVAILABLE);
      result.exitCode = output.failure(toCliError(error));
    }
    // A storage that just refused a write would refuse the compaction too: one message is enough.
    if (working && !storageFault) await compactAtExit(working, io);
    if (opened) await closeAtExit(opened);
  };
}

/** Lets go of the store's connections (a database's), so the process can end. */
async function closeAtExit(opened: Promise<IConfigurationService>): Promise<void> {
  try {
    // Folded already by compactAtExit where the command may write; a command that only looks writes nothing.
    await (await opened).close({ compact: false });
  } catch {
    // the open's error was reported by the command; a close that fails loses nothing
  }
}

/**
 * A command's process ends here, so the change logs of large collections are folded into their JSON files: they
 * are current between runs, for whoever reads them. The changes are durable in the logs already, so a failure
 * only warns, once, saying what to do. A folder this process cannot write is left as it is.
 */
async function compactAtExit(opened: Promise<OpenedFolder>, io: CliIO): Promise<void> {
  let folder: OpenedFolder;
  try {
    folder = await opened;
  } catch {
    return; // the open's error was reported by the command
  }
  if (!folder.writable) return;
  try {
    await folder.configuration.compact();
  } catch (error) {
    io.stderr(
      `agentcfg: warning: the change logs were not folded into the JSON files (${printable(toCliError(error).message)}); ` +
        'they still hold every change and agentcfg reads them, so nothing is lost; the next command that can write folds them\n',
    );
  }
}
