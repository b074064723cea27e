import { Command } from 'commander';
import { nodeFileSystem } from '../storage/file-system';
import { writeFileDurably } from '../storage/durable-write';
import type { CliIO } from './cli-io';
import { action, type CommandResult } from './command-context';
import { readJsonInput } from './read-json-input';
import { formatRun } from './workflow-format';

/** `import <file>`: every record of a bundle, all or nothing. */
export function importCommand(io: CliIO, result: CommandResult): Command {
  return new Command('import')
    .argument('<file>', 'bundle JSON file; - reads stdin')
    .description('create every personality, role and agent of a bundle, all or nothing')
    .action(
      action(io, result, async (ctx, file: string) => {
        const bundle = await readJsonInput(file, io);
        const { result: counts, workflow } = await (await ctx.configuration()).importBundle(bundle);
        return ctx.output.success(
          { ...counts, workflowId: workflow.id },
          () => `Imported ${counts.personalities} personalities, ${counts.roles} roles and ${counts.agents} agents (workflow ${workflow.id}, ${workflow.durationMs} ms).`,
        );
      }),
    );
}

/** `export [--file <path>]`: the user's records as a bundle that `import` accepts. */
export function exportCommand(io: CliIO, result: CommandResult): Command {
  return new Command('export')
    .description('print (or write) the personalities, roles and agents you made, as a bundle for import')
    .option('--file <path>', 'write the bundle to this file instead of stdout')
    .action(
      action(io, result, async (ctx, options: { file?: string }) => {
        const bundle = await (await ctx.reading()).exportBundle();
        const text = `${JSON.stringify(bundle, null, 2)}\n`;
        if (!options.file) return ctx.output.success(bundle, () => text);
        await writeFileDurably(nodeFileSystem, options.file, text);
        return ctx.output.success(
          { file: options.file, personalities: bundle.personalities.length, roles: bundle.roles.length, agents: bundle.agents.length },
          () => `Exported ${bundle.personalities.length} personalities, ${bundle.roles.length} roles and ${bundle.agents.length} agents to ${options.file}.`,
        );
      }),
    );
}

/** Adds `agent create-with --file <bundle>`: personality, role and agent in one workflow. */
export function addCreateWithCommand(agentGroup: Command, io: CliIO, result: CommandResult): void {
  agentGroup
    .command('create-with')
    .description('create an agent with its personality and role (inline, or existing ids), all or nothing')
    .requiredOption('--file <path|->', 'JSON {"personality": {...}|"<id>", "role": {...}|"<id>", "agent": {...}}; - reads stdin')
    .action(
      action(io, result, async (ctx, options: { file: string }) => {
        const request = await readJsonInput(options.file, io);
        const { result: made, workflow } = await (await ctx.configuration()).createAgentWithDependencies(request as never);
        return ctx.output.success(
          { ...made, workflowId: workflow.id },
          () => `Created agent '${made.agent.id}' with personality '${made.personality.id}' and role '${made.role.id}'.\n${formatRun(workflow)}`,
        );
      }),
    );
}
