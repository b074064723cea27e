import type { WorkflowRun } from '../workflow/workflow-run';
import type { RecoveryReport } from '../workflow/workflow-service';
import { formatTable } from './text-format';

const ms = (value: number | undefined) => (value === undefined ? '' : `${value} ms`);

/** A workflow run for people: its steps with status, attempts and duration, then the outcome. */
export function formatRun(run: WorkflowRun): string {
  const steps = formatTable(
    ['STEP', 'SERVICE', 'ACTION', 'TARGET', 'STATUS', 'ATTEMPTS', 'DURATION'],
    run.steps.map((s) => [s.id, s.service, s.action, s.targetId ?? '', s.status, String(s.attempts), ms(s.durationMs)]),
  );
  const owner = run.owner.actor === undefined ? '' : ` by ${run.owner.actor}${run.owner.role ? ` (${run.owner.role})` : ''}`;
  const lines = [`Workflow ${run.id} (${run.name})${owner}: ${run.status} in ${run.durationMs} ms`, steps];
  if (run.error) lines.push(`Cause: ${run.error.code}: ${run.error.message}`);
  if (run.unresolved.length > 0) lines.push(`Could not undo: ${run.unresolved.join(', ')} (run 'agentcfg workflow recover' to try again)`);
  const events = run.steps.flatMap((s) => s.events.map((e) => `  ${s.id}: ${String(e.kind)}${e.delayMs === undefined ? '' : ` (next try in ${String(e.delayMs)} ms)`}`));
  if (events.length > 0) lines.push('Events:', ...events);
  return lines.join('\n');
}

/** Workflows as a table, newest first. */
export function formatRuns(runs: readonly WorkflowRun[]): string {
  if (runs.length === 0) return 'No workflows.';
  return formatTable(
    ['ID', 'NAME', 'STATUS', 'STARTED', 'DURATION', 'STEPS'],
    runs.map((r) => [r.id, r.name, r.status, r.startedAt, ms(r.durationMs), String(r.steps.length)]),
  );
}

/** What recovery did, one line per workflow. */
export function formatRecovery(reports: readonly RecoveryReport[]): string {
  if (reports.length === 0) return 'No unfinished workflows.';
  return reports
    .map((r) => {
      if (r.skipped) return `Workflow ${r.workflowId} (${r.name}): left ${r.from}: ${r.skipped}.`;
      const undone = r.compensated.length > 0 ? `undid ${r.compensated.join(', ')}` : 'nothing to undo';
      const left = r.unresolved.length > 0 ? `; could not undo ${r.unresolved.join(', ')}` : '';
      return `Workflow ${r.workflowId} (${r.name}): ${r.from} → ${r.to}; ${undone}${left}.`;
    })
    .join('\n');
}
