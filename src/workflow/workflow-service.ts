import type { WorkflowDefinition, WorkflowStatus } from '../domain/workflow/workflow-definition';
import type { WorkflowRun } from './workflow-run';

/** What recovery did with one unfinished workflow. */
export interface RecoveryReport {
  workflowId: string;
  name: string;
  from: WorkflowStatus;
  to: WorkflowStatus;
  /** Steps undone now. */
  compensated: string[];
  /** Steps that could not be undone (the workflow stays FAILED). */
  unresolved: string[];
  /** Set when the workflow was left alone because a live process is running it. */
  skipped?: string;
}

/** Which unfinished workflows recovery takes on. */
export interface RecoverOptions {
  /** Also retry the undo of FAILED workflows (the explicit `workflow recover` does; start-up does not). */
  includeFailed?: boolean;
}

/**
 * Runs workflows as sagas: every step journaled before it acts, undone newest-first when the workflow cannot
 * finish, and unfinished workflows of killed processes undone on recovery.
 */
export interface IWorkflowService {
  /** Runs a workflow to COMPLETED, COMPENSATED or FAILED; an invalid definition is refused before anything runs. */
  run(definition: WorkflowDefinition): Promise<WorkflowRun>;
  /** A workflow's run as its journal tells it; null when there is none. */
  get(id: string): Promise<WorkflowRun | null>;
  /** Every workflow with a journal, newest first. */
  list(): Promise<WorkflowRun[]>;
  /** Undoes workflows left RUNNING or COMPENSATING by processes that stopped (and FAILED ones, if asked). */
  recover(options?: RecoverOptions): Promise<RecoveryReport[]>;
}

/** Injection token for the workflow service. */
export const IWorkflowService = Symbol.for('agentcfg.IWorkflowService');
