import { Command } from 'commander';
import { WorkflowStatus } from '../domain/workflow/workflow-definition';
import type { WorkflowRun } from '../workflow/workflow-run';
import type { CliIO } from './cli-io';
import { action, type CommandContext, type CommandResult } from './command-context';
import { ExitCode } from './exit-codes';
import { NotFoundError } from '../domain/errors/errors';
import { readJsonInput } from './read-json-input';
import { formatRecovery, formatRun, formatRuns } from './workflow-format';

/**
 * Exit code of a finished run: 0 completed, 9 compensated (nothing changed; 11 when the storage could not take a
 * write), 10 failed (changes left in place).
 */
export function exitCodeOfRun(run: WorkflowRun): number {
  if (run.status === WorkflowStatus.COMPLETED) return ExitCode.OK;
  // Undone because the storage could not take a write (a full disk, say): the cause's own code says what to do.
  if (run.status === WorkflowStatus.COMPENSATED && run.error?.code === 'STORAGE_UNAVAILABLE') return ExitCode.STORAGE_UNAVAILABLE;
  return run.status === WorkflowStatus.COMPENSATED ? ExitCode.UNAVAILABLE : ExitCode.INCONSISTENT;
}

/** Reports a run: success when it completed; otherwise its cause, with the run, under the run's exit code. */
export function reportRun(ctx: CommandContext, run: WorkflowRun): number {
  if (run.status === WorkflowStatus.COMPLETED) return ctx.output.success(run, () => formatRun(run));
  const cause = run.error ?? { code: 'INTERNAL_ERROR', message: 'unknown failure', details: [] };
  if (ctx.output.json) {
    ctx.output.failure({ code: cause.code, message: `workflow ${run.id} ${run.status}: ${cause.message}`, details: cause.details, workflow: run });
  } else {
    ctx.io.stdout(`${formatRun(run)}\n`);
  }
  return exitCodeOfRun(run);
}

/** `workflow run|list|show|recover`. */
export function workflowCommands(io: CliIO, result: CommandResult): Command {
  const group = new Command('workflow').description('run multi-step changes as all-or-nothing workflows, and inspect or recover them');

  group
    .command('run <file>')
    .description('run a workflow from a JSON file (- reads stdin); exit 0 when completed, 9 when compensated (11 when the storage refused a write), 10 when an undo failed')
    .action(
      action(io, result, async (ctx, file: string) => {
        const definition = await readJsonInput(file, io);
        return reportRun(ctx, await (await ctx.configuration()).runWorkflow(definition));
      }),
    );

  group
    .command('list')
    .description('list workflows, newest first')
    .action(
      action(io, result, async (ctx) => {
        const runs = await (await ctx.reading()).listWorkflows();
        return ctx.output.success(runs, () => formatRuns(runs));
      }),
    );

  group
    .command('show <id>')
    .description("show a workflow's steps, statuses, attempts and durations")
    .action(
      action(io, result, async (ctx, id: string) => {
        const run = await (await ctx.reading()).getWorkflow(id);
        if (!run) throw new NotFoundError('workflow', id, { service: 'cli', operation: 'show' });
        return ctx.output.success(run, () => formatRun(run));
      }),
    );

  group
    .command('recover')
    .description('undo workflows left unfinished by a stopped process, and retry failed undos')
    .action(
      action(io, result, async (ctx) => {
        const reports = await (await ctx.configuration()).recoverWorkflows({ includeFailed: true });
        ctx.output.success(reports, () => formatRecovery(reports));
        return reports.some((r) => r.to === WorkflowStatus.FAILED) ? ExitCode.INCONSISTENT : ExitCode.OK;
      }),
    );

  return group;
}
