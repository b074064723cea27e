import type { AuditVerification } from './audit-chain';
import type { AuditEntry, AuditEvent } from './audit-entry';

/** Which entries `list` returns. */
export interface AuditFilter {
  actor?: string;
  /** Entries at or after this time (ISO 8601). */
  since?: string;
  /** `kind:id`, or just an id. */
  target?: string;
}

/**
 * The tamper-evident audit trail, `logs/audit.jsonl`: one hash-chained line per change, denial and workflow
 * transition, fsync'd before the change it records is made.
 */
export interface IAuditLog {
  readonly path: string;
  /**
   * Appends an entry durably (under a cross-process lock, so the chain stays one line after another), after any
   * held transitions, with one fdatasync for all of them.
   */
  append(event: AuditEvent): Promise<AuditEntry>;
  /**
   * Holds a workflow or step transition, stamped with the time now, until the next `append` or `flush` writes it.
   * A transition changes nothing by itself, so it need not cost a lock and an fdatasync of its own: it is durable
   * before the change it leads to is made, and before the workflow returns.
   */
  defer(event: AuditEvent): void;
  /** Writes held transitions durably (nothing to do when none are held). */
  flush(): Promise<void>;
  /** The entries that can be read, oldest first, filtered. */
  list(filter?: AuditFilter): Promise<AuditEntry[]>;
  /** Checks the whole chain and names the first bad line. */
  verify(): Promise<AuditVerification>;
}

/** Injection token for the audit log. */
export const IAuditLog = Symbol.for('agentcfg.IAuditLog');
