import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { Command } from 'commander';
import { createContainer } from '../di/container';
import { AgentcfgError } from '../domain/errors/agentcfg-error';
import { ErrorCode } from '../domain/errors/error-code';
import { IConfigurationService } from '../services/configuration/configuration-service';
import { copyStore } from '../storage/copy-store';
import { IRecordStore } from '../storage/record-store';
import { principalFrom } from './principal';
import { ValidationError } from '../domain/errors/errors';
import { migrate, SCHEMA_VERSION } from '../storage/postgres/migrations';
import { openPool, redactedUrl } from '../storage/postgres/postgres-record-store';
import { guardDb } from '../storage/postgres/pg-errors';
import type { CliIO } from './cli-io';
import { action, type CommandResult } from './command-context';

/** `agentcfg db …`: looking after a PostgreSQL store. */
export function dbCommands(io: CliIO, result: CommandResult): Command {
  const db = new Command('db').description('look after a PostgreSQL store (--store postgres://…, else $AGENTCFG_STORE)');
  db.command('migrate')
    .description("bring the database's schema up to date; run it as a role that may create tables (the app's role need not)")
    .action(
      action(io, result, async (ctx) => {
        const url = storeUrl(ctx.globals.store, io.env.AGENTCFG_STORE, 'db.migrate');
        const pool = openPool({ url, maxConnections: 1 });
        try {
          const applied = await guardDb('migrate', () => migrate(pool));
          const where = redactedUrl(url);
          return ctx.output.success({ store: where, applied, schemaVersion: SCHEMA_VERSION }, () =>
            applied.length === 0 ? `${where}: the schema is up to date (version ${SCHEMA_VERSION}).\n` : `${where}: applied schema versions ${applied.join(', ')}; now at ${SCHEMA_VERSION}.\n`,
          );
        } finally {
          await pool.end();
        }
      }),
    );
  db.command('import-folder')
    .argument('<dir>', 'the data folder to copy')
    .description('copy a data folder (records, history, the audit trail) into the database, all or nothing')
    .action(
      action(io, result, async (ctx, dir: string) => {
        const url = storeUrl(ctx.globals.store, io.env.AGENTCFG_STORE, 'db.import-folder');
        const principal = principalFrom(ctx.globals, io);
        const source = createContainer({ dataDir: resolve(dir), principal });
        const target = createContainer({ store: { url }, principal });
        const from = source.get<IRecordStore>(IRecordStore);
        const to = target.get<IRecordStore>(IRecordStore);
        try {
          if (!existsSync(resolve(dir))) throw new AgentcfgError(ErrorCode.NOT_FOUND, `the data folder ${resolve(dir)} does not exist`, { context: { operation: 'db.import-folder' } });
          await to.initialize();
          const report = await copyStore(from, to, target.get<IConfigurationService>(IConfigurationService).issueContext());
          const total = Object.values(report.records).reduce((a, b) => a + b, 0);
          return ctx.output.success(report, () => `Copied ${total} records, ${report.historyVersions} earlier versions and ${report.auditEntries} audit entries from ${report.from} into ${report.to}.\n`);
        } finally {
          await to.close?.();
        }
      }),
    );
  return db;
}

/** The database a db command works on: --store, else $AGENTCFG_STORE; a VALIDATION_ERROR when neither is given. */
function storeUrl(flag: string | undefined, env: string | undefined, operation: string): string {
  const url = flag ?? env;
  if (!url) throw new ValidationError('this command needs a database: give --store postgres://… or set AGENTCFG_STORE', [{ path: '--store', message: 'is required' }], { context: { operation } });
  return url;
}
