import { Command } from 'commander';
import type { CliIO } from './cli-io';
import { action, type CommandResult } from './command-context';

/** `init`: creates the data folder and seeds the templates; safe to run again. */
export function initCommand(io: CliIO, result: CommandResult): Command {
  return new Command('init').description('create the data folder and seed the template personalities and roles (idempotent)').action(
    action(io, result, async (ctx) => {
      const summary = await (await ctx.configuration()).summary();
      return ctx.output.success(
        summary,
        () =>
          `Data folder ready: ${summary.dataDir}\n` +
          `  ${summary.personalities.total} personalities (${summary.personalities.templates} templates), ` +
          `${summary.roles.total} roles (${summary.roles.templates} templates), ${summary.agents.total} agents.`,
      );
    }),
  );
}
