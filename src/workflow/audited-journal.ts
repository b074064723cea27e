import type { AuditEvent, AuditOutcome } from '../audit/audit-entry';
import type { IAuditLog } from '../audit/audit-log';
import { WorkflowStatus } from '../domain/workflow/workflow-definition';
import type { SecurityContext } from '../security/security-context';
import type { JournalEntry, JournalEvent } from '../domain/workflow/journal-entry';
import type { RecordedError } from './workflow-run';

/** Where a workflow appends what happens to it. */
export interface JournalWriter {
  append(event: JournalEvent, data: Record<string, unknown>): Promise<JournalEntry>;
  close(): Promise<void>;
}

const STATUS_OUTCOME: Record<string, AuditOutcome> = {
  [WorkflowStatus.COMPENSATING]: 'failed',
  [WorkflowStatus.FAILED]: 'failed',
  [WorkflowStatus.COMPENSATED]: 'compensated',
};

/** The audit entry of a journal event; null for retries and breaker changes, which stay in the journal only. */
function auditOf(event: JournalEvent, data: Record<string, unknown>): Pick<AuditEvent, 'action' | 'outcome' | 'stepId' | 'reason' | 'target'> | null {
  const stepId = typeof data.stepId === 'string' ? data.stepId : undefined;
  const error = data.error as RecordedError | undefined;
  const reason = error ? { reason: `${error.code}: ${error.message}` } : {};
  switch (event) {
    case 'workflow.started':
      return { action: 'workflow.started', outcome: 'ok' };
    case 'workflow.status': {
      const status = String(data.status);
      return { action: `workflow.${status.toLowerCase()}`, outcome: STATUS_OUTCOME[status] ?? 'ok', ...reason };
    }
    case 'step.intent': {
      const target = data.service !== 'custom' && typeof data.targetId === 'string' ? { target: { kind: String(data.service), id: data.targetId } } : {};
      return { action: 'step.started', outcome: 'ok', ...(stepId ? { stepId } : {}), ...target };
    }
    case 'step.completed':
      return { action: 'step.completed', outcome: 'ok', ...(stepId ? { stepId } : {}) };
    case 'step.failed':
      return { action: 'step.failed', outcome: 'failed', ...(stepId ? { stepId } : {}), ...reason };
    case 'compensation.completed':
      return { action: 'step.compensated', outcome: 'compensated', ...(stepId ? { stepId } : {}) };
    case 'compensation.failed':
      return { action: 'step.compensation-failed', outcome: 'failed', ...(stepId ? { stepId } : {}), ...reason };
    case 'step.policy':
      return null;
  }
}

/** Statuses a workflow ends in: their entries are written at once, with every transition held before them. */
const ENDING = new Set<string>([WorkflowStatus.COMPLETED, WorkflowStatus.COMPENSATED, WorkflowStatus.FAILED]);

/**
 * A workflow journal whose transitions are audited. A transition's entry is held by the audit log (stamped when it
 * happened) and written with the next change a step makes, which is audited durably before it is made, or with the
 * status the workflow ends in: so a workflow costs one audit write per change instead of one per transition, and a
 * crash can lose only transitions after the last change, which changed nothing (recovery audits what it undoes).
 */
export class AuditedJournal implements JournalWriter {
  constructor(
    private readonly journal: JournalWriter,
    private readonly audit: IAuditLog,
    private readonly context: SecurityContext,
    private readonly workflowId: string,
  ) {}

  async append(event: JournalEvent, data: Record<string, unknown>): Promise<JournalEntry> {
    const audited = auditOf(event, data);
    if (audited) {
      const { actor, access, requestId } = this.context;
      const entry: AuditEvent = { actor, role: access, requestId, target: { kind: 'workflow', id: this.workflowId }, ...audited, workflowId: this.workflowId };
      if (event === 'workflow.status' && ENDING.has(String(data.status))) await this.audit.append(entry);
      else this.audit.defer(entry);
    }
    return this.journal.append(event, data);
  }

  /** Writes any transition still held (a run that stopped before its end), then closes the journal. */
  async close(): Promise<void> {
    try {
      await this.audit.flush();
    } finally {
      await this.journal.close();
    }
  }
}
