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
 * The tamper-evident audit trail of a store: one hash-chained entry per change, denial and workflow transition,
 * durable no later than the change it records (the file store: `logs/audit.jsonl`).
 */
export interface IAuditLog {
  /** Where the trail is kept, for messages. */
  readonly path: string;
  /**
   * Appends an entry durably, next in the one chain however many processes append, after any held transitions,
   * made durable with it. An entry of a workflow its store runs as one transaction is stored with that transaction.
   */
  append(event: AuditEvent): Promise<void>;
  /**
   * Holds a workflow or step transition, stamped with the time now, until the next `append` or `flush` writes it.
   * A transition changes nothing by itself, so it need not cost a durable write of its own: it is durable
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
