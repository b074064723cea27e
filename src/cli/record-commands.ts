import { Command, InvalidArgumentError } from 'commander';
import { NotFoundError } from '../domain/errors/errors';
import type { IConfigurationService } from '../services/configuration/configuration-service';
import type { VersionGuard } from '../services/shared/record-service';
import type { CliIO } from './cli-io';
import { action, type CommandResult } from './command-context';
import type { Output } from './output';
import { readJsonInput } from './read-json-input';
import { formatFields, formatTable } from './text-format';

interface StoredRecord {
  id: string;
  name: string;
  version: number;
  isTemplate: boolean;
}

/** The operations of one kind, as the configuration service offers them. */
interface RecordOperations {
  list(): Promise<StoredRecord[]>;
  get(id: string): Promise<StoredRecord | null>;
  create(input: unknown): Promise<StoredRecord>;
  update(id: string, patch: unknown, guard: VersionGuard): Promise<StoredRecord>;
  delete(id: string, options: VersionGuard & { cascade?: boolean }): Promise<StoredRecord>;
}

/** How the command line shows and reaches one kind of record. */
export interface RecordCommandSpec {
  kind: 'personality' | 'role' | 'agent';
  /** Offer `delete --cascade` (delete the agents that use the record first, in one workflow). */
  cascade?: boolean;
  operations(configuration: IConfigurationService): RecordOperations;
  /** Advice to print (on stderr) after a record is written, e.g. an unknown model. */
  warnings?(record: StoredRecord): string[];
  /** Extra table columns after id and name. */
  columns: { headers: string[]; cells(record: StoredRecord): string[] };
}

/** A table of records with the kind's extra columns. */
export function recordTable(spec: RecordCommandSpec, records: readonly StoredRecord[]): string {
  return formatTable(
    ['ID', 'NAME', 'VERSION', 'TEMPLATE', ...spec.columns.headers],
    records.map((r) => [r.id, r.name, String(r.version), r.isTemplate ? 'yes' : 'no', ...spec.columns.cells(r)]),
  );
}

/** Parses `--expected-version`: a positive integer. */
export function parseVersion(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n) || n < 1) throw new InvalidArgumentError('must be a positive integer');
  return n;
}

function guardFrom(options: { expectedVersion?: number }): VersionGuard {
  return options.expectedVersion === undefined ? {} : { expectedVersion: options.expectedVersion };
}

/** Builds `<kind> list|get|create|update|delete` for one kind of record. */
export function recordCommands(spec: RecordCommandSpec, io: CliIO, result: CommandResult): Command {
  const { kind } = spec;
  const aKind = `${/^[aeiou]/.test(kind) ? 'an' : 'a'} ${kind}`;
  const group = new Command(kind).description(`manage ${kind} records`);
  const warn = (output: Output, record: StoredRecord) => spec.warnings?.(record).forEach((w) => output.note(`agentcfg: warning: ${w}`));
  const ops = async (ctx: { configuration: () => Promise<IConfigurationService> }) => spec.operations(await ctx.configuration());

  group
    .command('list')
    .description(`list every ${kind}, templates included`)
    .action(
      action(io, result, async (ctx) => {
        const records = await (await ops(ctx)).list();
        return ctx.output.success(records, () => (records.length === 0 ? `No ${kind} records.` : recordTable(spec, records)));
      }),
    );

  group
    .command('get <id>')
    .description(`show one ${kind}`)
    .action(
      action(io, result, async (ctx, id: string) => {
        const record = await (await ops(ctx)).get(id);
        if (!record) throw new NotFoundError(kind, id, { service: 'cli', operation: 'get' });
        return ctx.output.success(record, () => formatFields(record as unknown as Record<string, unknown>));
      }),
    );

  group
    .command('create')
    .description(`create ${aKind} from a JSON body (id optional)`)
    .requiredOption('--file <path|->', 'JSON body; - reads stdin')
    .action(
      action(io, result, async (ctx, options: { file: string }) => {
        const body = await readJsonInput(options.file, io);
        const record = await (await ops(ctx)).create(body);
        warn(ctx.output, record);
        return ctx.output.success(record, () => `Created ${kind} '${record.id}' (version ${record.version}).`);
      }),
    );

  group
    .command('update <id>')
    .description(`change ${aKind} with a JSON merge patch (null removes an optional field)`)
    .requiredOption('--file <path|->', 'JSON patch; - reads stdin')
    .option('--expected-version <n>', 'refuse with CONFLICT unless the record is at this version', parseVersion)
    .action(
      action(io, result, async (ctx, id: string, options: { file: string; expectedVersion?: number }) => {
        const patch = await readJsonInput(options.file, io);
        const record = await (await ops(ctx)).update(id, patch, guardFrom(options));
        warn(ctx.output, record);
        return ctx.output.success(record, () => `Updated ${kind} '${record.id}' to version ${record.version}.`);
      }),
    );

  const remove = group
    .command('delete <id>')
    .description(`delete ${aKind} (templates and records in use are refused)`)
    .option('--expected-version <n>', 'refuse with CONFLICT unless the record is at this version', parseVersion);
  if (spec.cascade) remove.option('--cascade', `first delete the agents that use this ${kind}, all or nothing`);
  remove.action(
    action(io, result, async (ctx, id: string, options: { expectedVersion?: number; cascade?: boolean }) => {
      const record = await (await ops(ctx)).delete(id, { ...guardFrom(options), ...(options.cascade ? { cascade: true } : {}) });
      return ctx.output.success(record, () => `Deleted ${kind} '${record.id}'${options.cascade ? ' and the agents that used it' : ''}.`);
    }),
  );

  return group;
}
