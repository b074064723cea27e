import { Command } from 'commander';
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
        const url = ctx.globals.store ?? io.env.AGENTCFG_STORE;
        if (!url) throw new ValidationError('db migrate needs a database: give --store postgres://… or set AGENTCFG_STORE', [{ path: '--store', message: 'is required' }], { context: { operation: 'db.migrate' } });
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
  return db;
}
