import { Command, Option } from 'commander';
import { nodeFileSystem } from '../storage/file-system';
import { writeFileDurably } from '../storage/durable-write';
import type { CliIO } from './cli-io';
import { action, type CommandResult } from './command-context';
import { mkdir, open, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { IMPORT_FORMATS, type ImportFormat } from '../interchange/detect';
import type { ImportSource } from '../interchange/read-import';
import { EXPORT_FORMATS, selectRecords, writeExport, type ExportFormat, type ExportOutput } from '../interchange/write-export';
import { KINDS, RECORD_KINDS } from '../domain/kinds/registry';
import { ON_CONFLICT, type OnConflict } from '../services/configuration/import-plan';
import type { ImportResult } from '../services/configuration/configuration-service';
import type { WorkflowRun } from '../workflow/workflow-run';
import type { CliError } from './output';
import { readFileBytes, readImportSource } from './import-source';
import { readJsonInput } from './read-json-input';
import { bundleSchema } from '../domain/bundle';
import { parseInput } from '../domain/validation/parse-input';
import { formatRun } from './workflow-format';

/** `import <path>`: every record of a bundle or of another tool's files, all or nothing, with the mapping report. */
export function importCommand(io: CliIO, result: CommandResult): Command {
  return new Command('import')
    .argument('<path>', "a bundle, another tool's file (card JSON or PNG, CrewAI agents.yaml, Letta .af, a Fishbowl settings file) or a Fishbowl settings folder; - reads stdin")
    .description('create every record of a bundle or of another tool\'s configuration, all or nothing')
    .addOption(new Option('--from <format>', 'the format of <path> (default: detected from its content)').choices([...IMPORT_FORMATS]))
    .addOption(new Option('--on-conflict <policy>', 'what to do with a record whose id is taken: refuse the import, keep the one there, replace it, or take a new id').choices([...ON_CONFLICT]).default('fail'))
    .option('--dry-run', 'print what each record would become (the mapping report) and change nothing')
    .action(
      action(io, result, async (ctx, path: string, options: { from?: ImportFormat; onConflict: OnConflict; dryRun?: boolean }) => {
        const source = await readImportSource(path, options.from, io);
        if (options.dryRun) {
          // A bundle is checked as the import would check it, so a dry run refuses what the import would.
          if (source.format === 'bundle') parseInput(bundleSchema, source.bundle, 'bundle', { operation: 'import' });
          return ctx.output.success({ format: source.format, dryRun: true, ...(source.report ? { report: source.report } : { bundle: source.bundle }) }, () => describeDryRun(source));
        }
        const { result: counts, workflow } = await (await ctx.configuration()).importBundle(source.bundle, { onConflict: options.onConflict });
        return ctx.output.success(
          { format: source.format, ...counts, workflowId: workflow?.id ?? null, ...(source.report ? { report: source.report } : {}) },
          () => describeImport(source.format, counts, workflow),
        );
      }),
    );
}

/** The import for people: what was written, what became of taken ids, and the workflow. */
function describeImport(format: string, counts: ImportResult, workflow: WorkflowRun | null): string {
  const written = RECORD_KINDS.map((kind) => `${counts[KINDS[kind].plural]} ${KINDS[kind].plural}`).join(', ');
  const taken = counts.conflicts.map((c) => `  ${c.kind} ${c.id}: ${c.resolution}${c.newId ? ` as ${c.newId}` : ''}`);
  const run = workflow ? ` (workflow ${workflow.id}, ${workflow.durationMs} ms)` : ' (nothing to write)';
  return [`Imported ${written} from ${format}${run}.`, ...taken].join('\n');
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

/** `export [--to <format>] [--out <path>] [--ids …] [--png [image]]`: the user's records, as a bundle or in another tool's format. */
export function exportCommand(io: CliIO, result: CommandResult): Command {
  return new Command('export')
    .description('print (or write) the records you made, as a bundle for import or in another tool\'s format')
    .addOption(new Option('--to <format>', 'the format to write').choices([...EXPORT_FORMATS]).default('bundle'))
    .option('--out <path>', 'write to this file (a folder for fishbowl, and for cards of several agents) instead of stdout')
    .addOption(new Option('--file <path>', 'the same as --out').hideHelp())
    .option('--ids <ids>', 'only these records (comma-separated ids of any kind; an agent brings its personality, role and connection)')
    .option('--png [image]', 'cards as PNG files carrying the card, over this PNG image or a blank one')
    .action(
      action(io, result, async (ctx, options: { to: ExportFormat; out?: string; file?: string; ids?: string; png?: string | true }) => {
        const out = options.out ?? options.file;
        if (options.png !== undefined && options.to !== 'card') return ctx.output.failure(usage('--png writes cards: use it with --to card'));
        const image = typeof options.png === 'string' ? await readFileBytes(options.png, '--png', 'export') : options.png;
        const bundle = await (await ctx.reading()).exportBundle();
        const ids = options.ids?.split(',').map((id) => id.trim()).filter(Boolean);
        const written = writeExport(options.to, bundle, { ...(ids ? { ids } : {}), ...(image ? { png: image } : {}) });
        const [only] = written.files;
        if (!out) {
          if (written.folder || !only || typeof only.content !== 'string') return ctx.output.failure(usage(`--to ${options.to} writes ${written.files.length > 1 ? 'several files' : 'a binary file'}: give --out <${written.folder ? 'folder' : 'file'}>`));
          return ctx.output.success(options.to === 'bundle' ? bundle : { format: options.to, content: only.content }, () => only.content as string);
        }
        const paths = await writeOut(out, written);
        const counts = RECORD_KINDS.map((kind) => `${(selectRecords(bundle, ids)[KINDS[kind].plural] as unknown[]).length} ${KINDS[kind].plural}`).join(', ');
        return ctx.output.success({ format: options.to, files: paths, file: paths.length === 1 ? paths[0] : undefined }, () => `Exported ${counts} as ${options.to} to ${paths.join(', ')}.`);
      }),
    );
}

/** A command-line mistake, as the one document --json prints (exit 2). */
function usage(message: string): CliError {
  return { code: 'USAGE_ERROR', message, details: [] };
}

/** Writes an export durably: the one file at `out`, or every file into the folder `out` (made if missing). */
async function writeOut(out: string, written: ExportOutput): Promise<string[]> {
  const [only] = written.files;
  if (!written.folder && only) {
    await writeExportFile(out, only.content);
    return [out];
  }
  await mkdir(out, { recursive: true });
  const paths = written.files.map((file) => join(out, file.name));
  for (const [i, file] of written.files.entries()) await writeExportFile(paths[i] as string, file.content);
  return paths;
}

/** Text through the store's durable replace; a PNG's bytes the same way by hand (temp file, fsync, rename). */
async function writeExportFile(path: string, content: string | Buffer): Promise<void> {
  if (typeof content === 'string') return writeFileDurably(nodeFileSystem, path, content);
  const temp = `${path}.tmp-${process.pid}`;
  const handle = await open(temp, 'w', 0o644);
  try {
    await handle.writeFile(content);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(temp, path);
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
