import { Command } from 'commander';
import type { AuditEntry } from '../audit/audit-entry';
import type { CliIO } from './cli-io';
import { action, type CommandResult } from './command-context';
import { ExitCode } from './exit-codes';
import { formatTable } from './text-format';

function formatEntries(entries: readonly AuditEntry[]): string {
  if (entries.length === 0) return 'No audit entries.';
  return formatTable(
    ['#', 'AT', 'ACTOR', 'ROLE', 'ACTION', 'TARGET', 'VERSION', 'OUTCOME', 'WORKFLOW'],
    entries.map((e) => [
      String(e.seq),
      e.at,
      e.actor,
      e.role ?? '-',
      e.action,
      e.target ? `${e.target.kind}:${e.target.id}` : '',
      e.versionBefore === undefined && e.versionAfter === undefined ? '' : `${e.versionBefore ?? '-'}→${e.versionAfter ?? '-'}`,
      e.outcome,
      e.workflowId ? `${e.workflowId}${e.stepId ? `/${e.stepId}` : ''}` : '',
    ]),
  );
}

/** `audit list|verify`: read the audit trail and check that nobody tampered with it. */
export function auditCommands(io: CliIO, result: CommandResult): Command {
  const group = new Command('audit').description('the tamper-evident audit log of every change, denial and workflow transition (logs/audit.jsonl)');

  group
    .command('list')
    .description('list audit entries, oldest first (admins only)')
    .option('--actor <name>', 'only entries of this actor (here --actor filters; say who you are with $AGENTCFG_ACTOR)')
    .option('--since <time>', 'only entries at or after this ISO 8601 date or time')
    .option('--target <kind:id>', 'only entries about this record or workflow (kind:id, or just the id)')
    .action(
      action(io, result, async (ctx, options: { actor?: string; since?: string; target?: string }) => {
        // The global --actor takes the flag wherever it is written; on `audit list` it means the filter.
        const actor = options.actor ?? ctx.globals.actor;
        const filter = { ...options, ...(actor === undefined ? {} : { actor }) };
        const configuration = await ctx.configurationAsIsFor({ ...(ctx.globals.as === undefined ? {} : { as: ctx.globals.as }) });
        const entries = await configuration.auditEntries(filter);
        return ctx.output.success(entries, () => formatEntries(entries));
      }),
    );

  group
    .command('verify')
    .description('check the hash chain; exit 8 naming the first edited, deleted, inserted, moved or cut line')
    .action(
      action(io, result, async (ctx) => {
        const verification = await (await ctx.configurationAsIs()).verifyAudit();
        if (verification.ok) return ctx.output.success(verification, () => `Audit log intact: ${verification.entries} entries.`);
        const problem = verification.problem ?? 'the chain is broken';
        ctx.output.failure({
          code: 'INTEGRITY_ERROR',
          message: `the audit log was tampered with: ${problem}`,
          details: [{ path: verification.badLine === undefined ? 'audit.head.json' : `line ${verification.badLine}`, message: problem }],
          report: verification,
        });
        return ExitCode.INTEGRITY_ERROR;
      }),
    );

  return group;
}
