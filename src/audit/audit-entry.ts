import { checksumOf } from '../domain/canonical-json';

/** How the audited request ended. */
export type AuditOutcome = 'ok' | 'denied' | 'failed' | 'compensated';

/** The record (or workflow) a request was about. */
export interface AuditTarget {
  kind: string;
  id: string;
}

/** What one audit entry says happened; the log adds its place in the chain. */
export interface AuditEvent {
  actor: string;
  /** The actor's role; null when the caller's context was not one ConfigurationService issued. */
  role: string | null;
  requestId: string | null;
  /** e.g. `personality.update`, `workflow.started`, `step.compensated`. */
  action: string;
  target?: AuditTarget;
  versionBefore?: number | null;
  versionAfter?: number | null;
  digestBefore?: string | null;
  digestAfter?: string | null;
  workflowId?: string;
  stepId?: string;
  outcome: AuditOutcome;
  /** Why a request was denied or failed: the error code and message. */
  reason?: string;
  /** For `token.create`: the access level the new token grants. */
  grants?: string;
  /** For `audit.tampered`: the line found tampered with when the log was next written. */
  tamperedLine?: number;
}

/** One line of `logs/audit.jsonl`: the event, its 1-based position, and the hash chain. */
export interface AuditEntry extends AuditEvent {
  seq: number;
  at: string;
  /** The hash of the entry before (GENESIS_HASH for the first). */
  prev: string;
  /** sha256 of this entry's canonical form without `hash`. */
  hash: string;
}

/** The `prev` of the first entry. */
export const GENESIS_HASH = `sha256:${'0'.repeat(64)}`;

/** The hash an entry must carry. */
export function auditHash(entry: Omit<AuditEntry, 'hash'> & { hash?: string }): string {
  const { hash: _hash, ...unsigned } = entry;
  return checksumOf(unsigned);
}

/** The digest recorded for a record's state (null when it does not exist). */
export function digestOf(record: unknown): string | null {
  return record === null || record === undefined ? null : checksumOf(record);
}

/** A reason is a message, not a dump: entries keep lines short. */
const MAX_REASON = 500;

/** The event as an entry records it: its reason cut to MAX_REASON characters. */
export function shortened(event: AuditEvent): AuditEvent {
  const { reason } = event;
  return reason !== undefined && reason.length > MAX_REASON ? { ...event, reason: `${reason.slice(0, MAX_REASON)}…` } : event;
}
