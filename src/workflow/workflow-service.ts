import type { WorkflowDefinition, WorkflowStatus } from '../domain/workflow/workflow-definition';
import type { WorkflowRun } from './workflow-run';
import type { SecurityContext } from '../security/security-context';

/** What anyone may know of a workflow: that it exists, whose it is, and how it stands. */
export type WorkflowSummary = Pick<WorkflowRun, 'id' | 'name' | 'status' | 'unresolved'> & {
  owner: string | undefined;
  /** Why the journal cannot be read (tampered with, or a link out of the folder); such a run counts as FAILED. */
  unreadable?: string;
};

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
  /** The actor who ran the workflow. */
  owner?: string;
}

/** Which unfinished workflows recovery takes on. */
export interface RecoverOptions {
  /** Also retry the undo of FAILED workflows (the explicit `workflow recover` does; start-up does not). */
  includeFailed?: boolean;
}

/**
 * Runs workflows as sagas: every step journaled before it acts, undone newest-first when the workflow cannot
 * finish, and unfinished workflows of killed processes undone on recovery. Every call needs a context issued
 * by ConfigurationService; a workflow belongs to the actor who ran it, and only they or an admin may see or
 * recover it.
 */
export interface IWorkflowService {
  /** Runs a workflow to COMPLETED, COMPENSATED or FAILED, owned by the context's actor; an invalid definition is refused before anything runs. */
  run(definition: WorkflowDefinition, context: SecurityContext): Promise<WorkflowRun>;
  /** A workflow's run as its journal tells it; null when there is none; FORBIDDEN when it is someone else's. */
  get(id: string, context: SecurityContext): Promise<WorkflowRun | null>;
  /** The workflows the context may see (its own; every one for an admin), newest first. */
  list(context: SecurityContext): Promise<WorkflowRun[]>;
  /** Id, owner and status of every workflow, without their contents (what verify needs). */
  summaries(context: SecurityContext): Promise<WorkflowSummary[]>;
  /** Undoes the context's workflows (everyone's, for an admin) left RUNNING or COMPENSATING by processes that stopped (and FAILED ones, if asked). */
  recover(options: RecoverOptions, context: SecurityContext): Promise<RecoveryReport[]>;
}

/** Injection token for the workflow service. */
export const IWorkflowService = Symbol.for('agentcfg.IWorkflowService');
