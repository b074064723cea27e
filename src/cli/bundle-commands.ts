import { Command, Option } from 'commander';
import { nodeFileSystem } from '../storage/file-system';
import { writeFileDurably } from '../storage/durable-write';
import type { CliIO } from './cli-io';
import { action, type CommandResult } from './command-context';
import { IMPORT_FORMATS, type ImportFormat } from '../interchange/detect';
import { readImportSource, type ImportSource } from './import-source';
import { readJsonInput } from './read-json-input';
import { bundleSchema } from '../domain/bundle';
import { parseInput } from '../domain/validation/parse-input';
import { formatRun } from './workflow-format';

/** `import <path>`: every record of a bundle or of another tool's files, all or nothing, with the mapping report. */
export function importCommand(io: CliIO, result: CommandResult): Command {
  return new Command('import')
    .argument('<path>', "a bundle, another tool's file or a Fishbowl settings folder; - reads stdin")
    .description('create every record of a bundle or of a Fishbowl settings folder or file, all or nothing')
    .addOption(new Option('--from <format>', 'the format of <path> (default: detected from its content)').choices([...IMPORT_FORMATS]))
    .option('--dry-run', 'print what each record would become (the mapping report) and change nothing')
    .action(
      action(io, result, async (ctx, path: string, options: { from?: ImportFormat; dryRun?: boolean }) => {
        const source = await readImportSource(path, options.from, io);
        if (options.dryRun) {
          // A bundle is checked as the import would check it, so a dry run refuses what the import would.
          if (source.format === 'bundle') parseInput(bundleSchema, source.bundle, 'bundle', { operation: 'import' });
          return ctx.output.success({ format: source.format, dryRun: true, ...(source.report ? { report: source.report } : { bundle: source.bundle }) }, () => describeDryRun(source));
        }
        const { result: counts, workflow } = await (await ctx.configuration()).importBundle(source.bundle);
        const from = source.format === 'bundle' ? '' : ` and ${counts.connections} connections from ${source.format}`;
        return ctx.output.success(
          { format: source.format, ...counts, workflowId: workflow.id, ...(source.report ? { report: source.report } : {}) },
          () => `Imported ${counts.personalities} personalities, ${counts.roles} roles and ${counts.agents} agents${from} (workflow ${workflow.id}, ${workflow.durationMs} ms).`,
        );
      }),
    );
}

/** The dry run for people: one line per record, with what was kept aside, dropped or defaulted. */
function describeDryRun(source: ImportSource): string {
  if (!source.report) return `${source.format}: a valid bundle; nothing was changed.`;
  const lines = source.report.records.map((r) => {
    const notes = [
      r.sourceId ? `from '${r.sourceId}'` : '',
      r.kept.length > 0 ? `kept in extensions: ${r.kept.join(', ')}` : '',
      ...r.dropped.map((d) => `dropped ${d.field}: ${d.why}`),
      ...r.defaulted.map((d) => `${d.field} set to ${JSON.stringify(d.value)}: ${d.why}`),
    ].filter(Boolean);
    return `  ${r.kind} ${r.id}${notes.length > 0 ? ` (${notes.join('; ')})` : ''}`;
  });
  return [`${source.format} ${source.report.source}: ${source.report.records.length} records would be created; nothing was changed.`, ...lines].join('\n');
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
