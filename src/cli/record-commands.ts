import { Command, InvalidArgumentError, Option } from 'commander';
import { CONFLICT_STRATEGIES, FIELD_RULES, type ConflictStrategy, type FieldRule } from '../domain/conflict/resolve-update';
import { NotFoundError } from '../domain/errors/errors';
import type { IConfigurationService } from '../services/configuration/configuration-service';
import type { VersionGuard } from '../services/shared/record-service';
import type { RecordKind } from '../domain/kinds/registry';
import type { CliIO } from './cli-io';
import { action, type CommandResult } from './command-context';
import type { Output } from './output';
import { readJsonInput } from './read-json-input';
import { formatFields, formatTable } from './text-format';

/** The fields of a stored record the command line shows for every kind. */
export interface StoredRecord {
  id: string;
  name: string;
  version: number;
  isTemplate: boolean;
}

/** The operations of one kind, as the configuration service offers them. */
export interface RecordOperations {
  list(): Promise<StoredRecord[]>;
  get(id: string): Promise<StoredRecord | null>;
  create(input: unknown): Promise<StoredRecord>;
  delete(id: string, options: VersionGuard & { cascade?: boolean }): Promise<StoredRecord>;
}

/** How the command line shows and reaches one kind of record. */
export interface RecordCommandSpec {
  kind: RecordKind;
  /** Offer `delete --cascade`, deleting first the records (of these plurals) that use the record, in one workflow. */
  cascade?: readonly string[];
  operations(configuration: IConfigurationService): RecordOperations;
  /** Advice to print (on stderr) after a record is written, e.g. an unknown model. */
  warnings?(record: StoredRecord): string[];
  /** Extra table columns after id and name. */
  columns: { headers: readonly string[]; cells(record: StoredRecord): string[] };
}

/** A table of records with the kind's extra columns. */
export function recordTable(spec: RecordCommandSpec, records: readonly StoredRecord[]): string {
  return formatTable(
    ['ID', 'NAME', 'VERSION', 'TEMPLATE', ...spec.columns.headers],
    records.map((r) => [r.id, r.name, String(r.version), r.isTemplate ? 'yes' : 'no', ...spec.columns.cells(r)]),
  );
}

/** Collects repeated `--rule path=rule` options. */
function collectRule(value: string, rules: Record<string, FieldRule>): Record<string, FieldRule> {
  const [path, rule] = value.split('=');
  if (!path || !rule || !(FIELD_RULES as readonly string[]).includes(rule)) {
    throw new InvalidArgumentError(`expected <field.path>=<${FIELD_RULES.join('|')}>`);
  }
  return { ...rules, [path]: rule as FieldRule };
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
  const readOps = async (ctx: { reading: () => Promise<IConfigurationService> }) => spec.operations(await ctx.reading());

  group
    .command('list')
    .description(`list every ${kind}, templates included`)
    .action(
      action(io, result, async (ctx) => {
        const records = await (await readOps(ctx)).list();
        return ctx.output.success(records, () => (records.length === 0 ? `No ${kind} records.` : recordTable(spec, records)));
      }),
    );

  group
    .command('get <id>')
    .description(`show one ${kind}`)
    .action(
      action(io, result, async (ctx, id: string) => {
        const record = await (await readOps(ctx)).get(id);
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
    .option('--expected-version <n>', 'the version the patch was made against', parseVersion)
    .addOption(
      new Option('--strategy <strategy>', 'if the record changed since --expected-version: reject (CONFLICT, the default), last-write-wins, or merge (three-way)').choices([
        ...CONFLICT_STRATEGIES,
      ]),
    )
    .option('--rule <path=rule>', 'merge rule for a field both sides changed: max, min, mine or theirs (repeatable)', collectRule, {})
    .action(
      action(io, result, async (ctx, id: string, options: { file: string; expectedVersion?: number; strategy?: ConflictStrategy; rule: Record<string, FieldRule> }) => {
        const patch = await readJsonInput(options.file, io);
        const strategy = options.strategy ?? 'reject';
        const { record, fields } = await (await ctx.configuration()).updateRecord(kind, id, patch, { ...guardFrom(options), strategy, rules: options.rule });
        warn(ctx.output, record as unknown as StoredRecord);
        // `data` stays the record, as for every command; where the fields came from rides beside it.
        return ctx.output.success(
          record,
          () => [`Updated ${kind} '${record.id}' to version ${record.version}.`, ...fields.map((f) => `  ${f.path}: ${f.source}`)].join('\n'),
          options.strategy ? { fields } : {},
        );
      }),
    );

  group
    .command('history <id>')
    .description(`list the kept previous versions of ${aKind} (the last 20)`)
    .action(
      action(io, result, async (ctx, id: string) => {
        const versions = await (await ctx.reading()).recordHistory(kind, id);
        return ctx.output.success(versions, () =>
          versions.length === 0 ? `No earlier versions of ${kind} '${id}'.` : formatTable(['VERSION', 'UPDATED', 'NAME'], versions.map((v) => [String(v.version), v.updatedAt, v.name])),
        );
      }),
    );

  group
    .command('restore <id>')
    .description(`make an earlier version of ${aKind} current again (as a new version)`)
    .requiredOption('--version <n>', 'the version to bring back', parseVersion)
    .action(
      action(io, result, async (ctx, id: string, options: { version: number }) => {
        const record = await (await ctx.configuration()).restoreRecord(kind, id, options.version);
        return ctx.output.success(record, () => `Restored ${kind} '${record.id}' to the content of version ${options.version}, as version ${record.version}.`);
      }),
    );

  const remove = group
    .command('delete <id>')
    .description(`delete ${aKind} (templates and records in use are refused)`)
    .option('--expected-version <n>', 'refuse with CONFLICT unless the record is at this version', parseVersion);
  const users = spec.cascade?.join(' and ');
  if (users) remove.option('--cascade', `first delete the ${users} that use this ${kind}, all or nothing`);
  remove.action(
    action(io, result, async (ctx, id: string, options: { expectedVersion?: number; cascade?: boolean }) => {
      const record = await (await ops(ctx)).delete(id, { ...guardFrom(options), ...(options.cascade ? { cascade: true } : {}) });
      return ctx.output.success(record, () => `Deleted ${kind} '${record.id}'${options.cascade ? ` and the ${users} that used it` : ''}.`);
    }),
  );

  return group;
}
