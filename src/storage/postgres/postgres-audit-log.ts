import type { Pool, PoolClient } from 'pg';
import { chainAfter, verifyAuditChain, type AuditVerification, type StampedEvent } from '../../audit/audit-chain';
import { GENESIS_HASH, shortened, type AuditEntry, type AuditEvent } from '../../audit/audit-entry';
import { matchesAuditFilter } from '../../audit/audit-filter';
import type { AuditFilter, IAuditLog } from '../../audit/audit-log';
import { guardDb } from './pg-errors';
import { openWorkflowTransactions } from './workflow-transaction';

/** Keeps the chain one entry after another across every client: taken inside the transaction that appends. */
const AUDIT_CHAIN_LOCK = 7_420_002;

/**
 * The audit trail in the `agentcfg_audit` table: one row per entry, the exact JSON line its hash was taken of.
 * Entries are appended inside the transaction of the change they record (see `appendIn`), so a change and its
 * audit entry are stored together or not at all; the chain's order is kept by a transaction-scoped lock.
 */
export class PostgresAuditLog implements IAuditLog {
  /** Transitions waiting for the next append (see defer). */
  private readonly held: StampedEvent[] = [];

  readonly path: string;

  constructor(
    private readonly pool: Pool,
    /** The database, its password left out. */
    readonly location: string,
  ) {
    this.path = `${location} (table agentcfg_audit)`;
  }

  /** Holds a transition; one of a workflow run in one transaction is held by it, and stored with it. */
  defer(event: AuditEvent): void {
    const workflow = event.workflowId === undefined ? undefined : openWorkflowTransactions.get(event.workflowId);
    if (workflow) workflow.holdAudit([event]);
    else this.held.push({ at: new Date().toISOString(), event: shortened(event) });
  }

  /** Appends an entry; one of a workflow run in one transaction is stored with it (see WorkflowTransaction). */
  async append(event: AuditEvent): Promise<void> {
    const workflow = event.workflowId === undefined ? undefined : openWorkflowTransactions.get(event.workflowId);
    if (workflow) workflow.holdAudit([event]);
    else await this.inTransaction([event]);
  }

  async flush(): Promise<void> {
    if (this.held.length > 0) await this.inTransaction([]);
  }

  /**
   * Appends the held transitions and `events` after the chain's end, within `client`'s open transaction; returns
   * the entries of `events`. Held transitions go back to the queue if the transaction is rolled back (see
   * `restore`), so none is lost to a refused change.
   */
  async appendIn(client: PoolClient, events: readonly AuditEvent[]): Promise<{ entries: AuditEntry[]; restore: () => void }> {
    const now = new Date().toISOString();
    return this.appendStampedIn(client, events.map((event) => ({ at: now, event: shortened(event) })));
  }

  /** As appendIn, for entries stamped when they happened (a workflow transaction's, written at its end). */
  async appendStampedIn(client: PoolClient, stamped: readonly StampedEvent[]): Promise<{ entries: AuditEntry[]; restore: () => void }> {
    const batch = this.held.splice(0);
    const restore = () => this.held.unshift(...batch);
    try {
      await client.query('SELECT pg_advisory_xact_lock($1)', [AUDIT_CHAIN_LOCK]);
      const { rows } = await client.query<{ seq: string; hash: string }>('SELECT seq, hash FROM agentcfg_audit ORDER BY seq DESC LIMIT 1');
      const end = rows[0] ? { seq: Number(rows[0].seq), hash: rows[0].hash } : { seq: 0, hash: GENESIS_HASH };
      const all = chainAfter(end, [...batch, ...stamped]);
      if (all.length > 0) {
        await client.query('INSERT INTO agentcfg_audit (seq, hash, line) SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[])', [
          all.map((e) => e.seq),
          all.map((e) => e.hash),
          all.map((e) => JSON.stringify(e)),
        ]);
      }
      return { entries: all.slice(batch.length), restore };
    } catch (error) {
      restore();
      throw error;
    }
  }

  async list(filter: AuditFilter = {}): Promise<AuditEntry[]> {
    const lines = await this.lines();
    return lines.map((line) => JSON.parse(line) as AuditEntry).filter((e) => matchesAuditFilter(e, filter));
  }

  async verify(): Promise<AuditVerification> {
    const lines = await this.lines();
    return verifyAuditChain(lines.map((line) => `${line}\n`).join(''), null);
  }

  private lines(): Promise<string[]> {
    return guardDb('audit.read', async () => (await this.pool.query<{ line: string }>('SELECT line FROM agentcfg_audit ORDER BY seq')).rows.map((r) => r.line));
  }

  private async inTransaction(events: readonly AuditEvent[]): Promise<AuditEntry[]> {
    return guardDb('audit.append', async () => {
      const client = await this.pool.connect();
      let restore = () => undefined as void;
      try {
        await client.query('BEGIN');
        const appended = await this.appendIn(client, events);
        restore = appended.restore;
        await client.query('COMMIT');
        return appended.entries;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        restore();
        throw error;
      } finally {
        client.release();
      }
    });
  }
}
