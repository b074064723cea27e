import { Command } from 'commander';
import type { Finding } from '../services/consistency/consistency-service';
import type { CliIO } from './cli-io';
import { action, type CommandResult } from './command-context';
import { ExitCode } from './exit-codes';

function formatFindings(findings: readonly Finding[]): string[] {
  return findings.map((f) => `  ${f.severity.toUpperCase()} ${f.code}: ${f.message} [${f.records.map((r) => `${r.kind}:${r.id}`).join(', ')}${f.line === undefined ? '' : ` line ${f.line}`}]`);
}

/** `verify`: checks across service boundaries; exit 0 when consistent, 10 when not. */
export function verifyCommand(io: CliIO, result: CommandResult): Command {
  return new Command('verify')
    .description('check files, references, agent resolutions, workflows and the audit chain across services (changes nothing); exit 10 when inconsistent')
    .action(
      action(io, result, async (ctx) => {
        const report = await (await ctx.configurationAsIs()).verify();
        const summary = `${report.checked.personalities} personalities, ${report.checked.roles} roles, ${report.checked.agents} agents, ${report.checked.workflows} workflows, ${report.checked.auditEntries} audit entries`;
        if (report.consistent) return ctx.output.success(report, () => `Consistent: checked ${summary}.`);
        if (ctx.output.json) {
          ctx.output.failure({
            code: 'INCONSISTENT',
            message: `${report.findings.length} finding(s)`,
            details: report.findings.map((f) => ({ path: f.records.map((r) => `${r.kind}:${r.id}`).join(','), message: `${f.code}: ${f.message}` })),
            report,
          });
        } else {
          ctx.io.stdout(`Inconsistent: ${report.findings.length} finding(s) (checked ${summary}):\n${formatFindings(report.findings).join('\n')}\nRun 'agentcfg repair' to reconcile.\n`);
        }
        return ExitCode.INCONSISTENT;
      }),
    );
}

/** `repair [--dry-run] [--prune-dangling]`. */
export function repairCommand(io: CliIO, result: CommandResult): Command {
  return new Command('repair')
    .description('reconcile what verify finds: re-resolve stale agents, recover workflows, re-stamp files; report dangling agents')
    .option('--dry-run', 'only say what would be done')
    .option('--prune-dangling', 'delete agents whose personality or role is gone')
    .action(
      action(io, result, async (ctx, options: { dryRun?: boolean; pruneDangling?: boolean }) => {
        const report = await (await ctx.configurationAsIs()).repair({ dryRun: options.dryRun === true, pruneDangling: options.pruneDangling === true });
        ctx.output.success(report, () =>
          [
            report.actions.length === 0 ? 'Nothing to repair.' : `${report.dryRun ? 'Would do' : 'Did'}:`,
            ...report.actions.map((a) => `  ${a.action} ${a.target}: ${a.detail}`),
            ...(report.remaining.length > 0 ? ['Left for you:', ...formatFindings(report.remaining)] : []),
          ].join('\n'),
        );
        return report.remaining.length > 0 && !report.dryRun ? ExitCode.INCONSISTENT : ExitCode.OK;
      }),
    );
}
