import type { ErrorDetail } from '../domain/errors/agentcfg-error';
import { StepStatus, WorkflowStatus, type StepAction, type StepService } from '../domain/workflow/workflow-definition';
import type { JournalEntry } from '../domain/workflow/journal-entry';

/** An error as a workflow records it: code, message, field details and where it happened. */
export interface RecordedError {
  code: string;
  message: string;
  details: ErrorDetail[];
  context: Record<string, unknown>;
  /** Messages of the causes, outermost first. */
  causes?: string[];
  /** The record as it is now, for a CONFLICT. */
  current?: unknown;
}

/** One step of a workflow run, as its journal tells it. */
export interface StepRun {
  id: string;
  service: StepService | 'custom';
  action: StepAction | 'custom';
  status: StepStatus;
  /** The record the step acts on, once known. */
  targetId?: string;
  attempts: number;
  startedAt?: string;
  endedAt?: string;
  durationMs?: number;
  output?: unknown;
  error?: RecordedError;
  /** Retries, breaker changes and timeouts seen by this step. */
  events: Record<string, unknown>[];
}

/** Who ran a workflow, and where. */
export interface WorkflowOwner {
  pid: number;
  host: string;
  actor?: string;
  role?: string;
  requestId?: string;
}

/** A workflow run, as its journal tells it. */
export interface WorkflowRun {
  id: string;
  name: string;
  status: WorkflowStatus;
  /** Who ran it (actor, role, request) and the process that ran it. */
  owner: WorkflowOwner;
  startedAt: string;
  updatedAt: string;
  durationMs: number;
  steps: StepRun[];
  /** The error that made the workflow compensate. */
  error?: RecordedError;
  /** Steps whose undo failed (FAILED workflows). */
  unresolved: string[];
  /** A journal line that could not be read (a torn write), if any. */
  tornLine?: number;
}

/** The step change a `step.intent` entry records: what the step will do, and how to undo it. */
export interface StepIntent {
  stepId: string;
  service: StepService | 'custom';
  action: StepAction | 'custom';
  targetId: string;
  before: unknown;
  after: { version: number; updatedAt: string } | null;
  input: unknown;
}

/** Rebuilds a run from its journal entries. */
export function replayJournal(id: string, entries: readonly JournalEntry[], tornLine?: number): WorkflowRun {
  const started = entries[0];
  if (!started || started.event !== 'workflow.started') throw new Error(`journal of workflow ${id} does not start with workflow.started`);
  const data = started.data as { name: string; owner: WorkflowOwner; steps: { id: string; service: StepService | 'custom'; action: StepAction | 'custom' }[] };
  const run: WorkflowRun = {
    id,
    name: data.name,
    status: WorkflowStatus.PENDING,
    owner: data.owner,
    startedAt: started.at,
    updatedAt: started.at,
    durationMs: 0,
    steps: data.steps.map((s) => ({ id: s.id, service: s.service, action: s.action, status: StepStatus.PENDING, attempts: 0, events: [] })),
    unresolved: [],
    ...(tornLine === undefined ? {} : { tornLine }),
  };
  const step = (stepId: unknown): StepRun | undefined => run.steps.find((s) => s.id === stepId);
  for (const entry of entries.slice(1)) {
    const d = entry.data;
    run.updatedAt = entry.at;
    switch (entry.event) {
      case 'workflow.status':
        run.status = d.status as WorkflowStatus;
        if (d.error) run.error = d.error as RecordedError;
        if (Array.isArray(d.unresolved)) run.unresolved = d.unresolved as string[];
        break;
      case 'step.intent': {
        const s = step(d.stepId);
        if (s) Object.assign(s, { status: StepStatus.RUNNING, targetId: d.targetId, startedAt: entry.at });
        break;
      }
      case 'step.completed':
      case 'step.failed': {
        const s = step(d.stepId);
        if (!s) break;
        s.status = entry.event === 'step.completed' ? StepStatus.COMPLETED : StepStatus.FAILED;
        s.attempts = d.attempts as number;
        s.endedAt = entry.at;
        s.durationMs = d.durationMs as number;
        if (d.output !== undefined) s.output = d.output;
        if (d.error) s.error = d.error as RecordedError;
        break;
      }
      case 'step.policy':
        step(d.stepId)?.events.push({ at: entry.at, ...(d.event as Record<string, unknown>) });
        break;
      case 'compensation.completed': {
        const s = step(d.stepId);
        if (s) s.status = StepStatus.COMPENSATED;
        break;
      }
      case 'compensation.failed': {
        const s = step(d.stepId);
        if (s) Object.assign(s, { status: StepStatus.COMPENSATION_FAILED, error: d.error });
        break;
      }
      default:
        break;
    }
  }
  run.durationMs = Date.parse(run.updatedAt) - Date.parse(run.startedAt);
  return run;
}

/** What is known of how a step ended: its output, or that it failed before writing anything. */
export interface StepOutcome {
  output?: unknown;
  /** The step failed without any attempt timing out, so nothing was written. */
  notWritten?: boolean;
}

/** A step to undo: its intent and, when the journal says, how it ended. */
export type Compensation = StepIntent & StepOutcome;

/** The steps that may have changed a record and are not undone yet, newest first: the undo order. */
export function pendingCompensations(entries: readonly JournalEntry[]): Compensation[] {
  const undone = new Set(entries.filter((e) => e.event === 'compensation.completed').map((e) => e.data.stepId));
  const outcomes = new Map<unknown, StepOutcome>();
  for (const e of entries) {
    if (e.event === 'step.completed') outcomes.set(e.data.stepId, { output: e.data.output });
    if (e.event === 'step.failed' && e.data.notWritten === true) outcomes.set(e.data.stepId, { notWritten: true });
  }
  return entries
    .filter((e) => e.event === 'step.intent' && !undone.has(e.data.stepId))
    .map((e) => ({ ...(e.data as unknown as StepIntent), ...outcomes.get(e.data.stepId) }))
    .reverse();
}
