import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command, CommanderError, Option } from 'commander';
import type { CliIO } from './cli-io';
import type { CommandResult } from './command-context';
import { demoCommand } from './demo-command';
import { addResolveCommand } from './agent-resolve-command';
import { ExitCode } from './exit-codes';
import { initCommand } from './init-command';
import { Output } from './output';
import { recordCommands } from './record-commands';
import { recordCommandSpec } from './record-kinds';
import { RECORD_KINDS } from '../domain/kinds/registry';
import { addCreateWithCommand, exportCommand, importCommand } from './bundle-commands';
import { workflowCommands } from './workflow-commands';
import { repairCommand, verifyCommand } from './consistency-commands';
import { watchCommand } from './watch-command';
import { auditCommands } from './audit-commands';
import { tokenCommands } from './token-commands';
import { dbCommands } from './db-commands';
import { serveCommand } from '../server/serve-command';

function packageVersion(): string {
  // dist/cli and src/cli both sit two levels below package.json.
  return (JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as { version: string }).version;
}

/** Builds the `agentcfg` command tree. Global options are read before or after the subcommand. */
export function buildProgram(io: CliIO, result: CommandResult, json: boolean): Command {
  const program = new Command('agentcfg')
    .description('Manage the personalities, roles and agents of a multi-agent AI app as durable JSON files.')
    .addOption(new Option('--dir <path>', 'data folder (default: $AGENTCFG_DIR, else ./agentcfg-data)'))
    .addOption(new Option('--store <url>', 'a PostgreSQL database (postgres://…) instead of a data folder (default: $AGENTCFG_STORE)'))
    .option('--json', 'print exactly one JSON document: {"ok":true,"data":...} or {"ok":false,"error":...}')
    .addOption(new Option('--actor <name>', 'who acts, as recorded in the audit log (default: $AGENTCFG_ACTOR, else the OS user)'))
    .addOption(new Option('--as <access>', 'the access level to act with (default: $AGENTCFG_ROLE, else admin)').choices(['viewer', 'editor', 'admin']))
    // Only -V is the tool's version flag: `--version <n>` belongs to `restore`. A lone `--version` is handled in runCli.
    .version(packageVersion(), '-V', 'print the agentcfg version (also: agentcfg --version)')
    .showHelpAfterError(!json)
    .addHelpText(
      'after',
      '\nExit codes: 0 ok, 1 internal, 2 usage, 3 validation, 4 not found, 5 conflict, 6 forbidden,\n' +
        '7 reference, 8 integrity, 9 unavailable, 10 inconsistent, 11 storage unavailable (disk full, read-only, ...).',
    );
  program.addCommand(initCommand(io, result));
  program.addCommand(demoCommand(io, result));
  for (const kind of RECORD_KINDS) {
    const group = recordCommands(recordCommandSpec(kind), io, result);
    // What agents add to the record commands every kind has.
    if (kind === 'agent') {
      addResolveCommand(group, io, result);
      addCreateWithCommand(group, io, result);
    }
    program.addCommand(group);
  }
  program.addCommand(workflowCommands(io, result));
  program.addCommand(importCommand(io, result));
  program.addCommand(exportCommand(io, result));
  program.addCommand(verifyCommand(io, result));
  program.addCommand(repairCommand(io, result));
  program.addCommand(watchCommand(io, result));
  program.addCommand(auditCommands(io, result));
  program.addCommand(tokenCommands(io, result));
  program.addCommand(dbCommands(io, result));
  program.addCommand(serveCommand(io, result));

  const configure = (command: Command): void => {
    command
      .exitOverride()
      .configureOutput({
        writeOut: (text) => io.stdout(text),
        writeErr: (text) => io.stderr(text),
        // With --json the usage error is reported once, as the JSON document.
        outputError: (text, write) => (json ? undefined : write(text)),
      });
    command.commands.forEach(configure);
  };
  configure(program);
  return program;
}

/** Runs the command line with `args` (without node and script) and returns the exit code. */
export async function runCli(args: readonly string[], io: CliIO): Promise<number> {
  const json = args.includes('--json');
  const result: CommandResult = { exitCode: ExitCode.OK };
  const program = buildProgram(io, result, json);
  if (args.length === 0) {
    program.outputHelp();
    return ExitCode.USAGE;
  }
  if (args.length === 1 && args[0] === '--version') {
    io.stdout(`${packageVersion()}\n`);
    return ExitCode.OK;
  }
  try {
    await program.parseAsync([...args], { from: 'user' });
    return result.exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.exitCode === 0) return ExitCode.OK;
      // Commander has already told a person what was wrong; a --json caller gets it as the one document.
      if (!json) return ExitCode.USAGE;
      return new Output(io, json).failure({ code: 'USAGE_ERROR', message: error.message.replace(/^error: /, ''), details: [] });
    }
    throw error;
  }
}
