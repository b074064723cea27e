import type { Pool, PoolClient } from 'pg';
import { UnavailableError } from '../../domain/errors/errors';
import { idSchema } from '../../domain/ids';
import { parseInput } from '../../domain/validation/parse-input';
import { entryChecksum, type JournalEntry, type JournalEvent, type ParsedJournal } from '../../domain/workflow/journal-entry';
import { claimedJournal, type JournalCommit } from '../claimed-journal';
import type { BeginOptions, ClaimedJournal, IWorkflowJournals } from '../record-store';
import { guardDb } from './pg-errors';
import { WorkflowTransaction, type Finish } from './workflow-transaction';

type Events = readonly { event: JournalEvent; data: Record<string, unknown> }[];


/** The class of the advisory locks that claim workflows (the second key is the workflow id's hash). */
const CLAIM_LOCK_CLASS = 7_420_003;

interface Claim {
  /** The session holding the claim's lock: the claim ends with it, even when this process dies. */
  session: PoolClient;
  /** Entries appended so far, the next one's seq being their count + 1. */
  entries: JournalEntry[];
}

/**
 * Workflow journals in `agentcfg_journal`, one row per entry (the checksummed JSON line). A workflow is claimed by
 * a session-level advisory lock held on a connection of its own until the claim is closed, so a client that dies
 * gives its workflows up with its connection, for another to recover.
 */
export class PostgresWorkflowJournals implements IWorkflowJournals {
  private readonly claims = new Map<string, Claim>();

  constructor(
    private readonly pool: Pool,
    private readonly commit: JournalCommit,
    private readonly transactions: { open: Map<string, WorkflowTransaction>; finish: Finish; stored: () => Promise<void> },
  ) {}

  async begin(workflowId: string, options: BeginOptions = {}): Promise<ClaimedJournal> {
    if (options.oneTransaction) return this.beginTransaction(workflowId);
    const claim = await this.claim(workflowId, []);
    try {
      await guardDb('journal.begin', () => this.pool.query('INSERT INTO agentcfg_workflows (workflow_id) VALUES ($1)', [workflowId]));
    } catch (error) {
      await this.release(workflowId);
      throw error;
    }
    return this.claimed(workflowId, claim);
  }

  async resume(workflowId: string): Promise<ClaimedJournal | null> {
    const existing = await this.read(workflowId);
    if (!existing) return null;
    const claim = await this.claim(workflowId, []);
    // Read again under the claim: the entries a previous holder appended before it let go.
    claim.entries = (await this.read(workflowId))?.entries ?? [];
    return this.claimed(workflowId, claim);
  }

  async read(workflowId: string): Promise<ParsedJournal | null> {
    this.checkId(workflowId);
    return guardDb('journal.read', async () => {
      const started = await this.pool.query('SELECT 1 FROM agentcfg_workflows WHERE workflow_id = $1', [workflowId]);
      if (started.rowCount === 0) return null;
      const { rows } = await this.pool.query<{ line: string }>('SELECT line FROM agentcfg_journal WHERE workflow_id = $1 ORDER BY seq', [workflowId]);
      return { entries: rows.map((r) => JSON.parse(r.line) as JournalEntry), goodBytes: 0 };
    });
  }

  list(): Promise<string[]> {
    return guardDb('journal.list', async () => (await this.pool.query<{ workflow_id: string }>('SELECT workflow_id FROM agentcfg_workflows ORDER BY started_at, workflow_id')).rows.map((r) => r.workflow_id));
  }

  listUnended(): Promise<string[]> {
    return guardDb('journal.list', async () => (await this.pool.query<{ workflow_id: string }>('SELECT workflow_id FROM agentcfg_workflows WHERE NOT ended ORDER BY started_at, workflow_id')).rows.map((r) => r.workflow_id));
  }

  async markEnded(workflowId: string): Promise<void> {
    const open = this.transactions.open.get(workflowId);
    if (open) return open.markEnded();
    await guardDb('journal.end', () => this.pool.query('UPDATE agentcfg_workflows SET ended = true WHERE workflow_id = $1', [workflowId]));
  }

  /**
   * Writes events to a journal this process claimed, inside `client`'s open transaction; returns the entries. The
   * claim's count moves on only once the transaction commits (see `committed`).
   */
  async appendIn(client: PoolClient, workflowId: string, events: Events): Promise<JournalEntry[]> {
    const claim = this.claims.get(workflowId);
    if (!claim) throw new Error(`workflow ${workflowId}'s journal is not claimed by this process`);
    let seq = claim.entries.length;
    const entries = events.map(({ event, data }) => {
      const unsigned = { seq: ++seq, at: new Date().toISOString(), event, data };
      return JSON.parse(JSON.stringify({ ...unsigned, checksum: entryChecksum(unsigned) })) as JournalEntry;
    });
    if (entries.length > 0) {
      await client.query('INSERT INTO agentcfg_journal (workflow_id, seq, line) SELECT $1, * FROM unnest($2::integer[], $3::text[])', [
        workflowId,
        entries.map((e) => e.seq),
        entries.map((e) => JSON.stringify(e)),
      ]);
    }
    return entries;
  }

  /** Counts entries a committed transaction appended. */
  committed(workflowId: string, entries: readonly JournalEntry[]): void {
    this.claims.get(workflowId)?.entries.push(...entries);
  }

  /**
   * A workflow run as one transaction (see WorkflowTransaction): nobody else sees it, so there is no claim to take;
   * its events are held until it is closed, when everything it did is stored together.
   */
  private async beginTransaction(workflowId: string): Promise<ClaimedJournal> {
    this.checkId(workflowId);
    if (this.transactions.open.has(workflowId)) throw this.busy(workflowId);
    const client = await guardDb('journal.begin', () => this.pool.connect());
    const transaction = await WorkflowTransaction.begin(workflowId, client);
    this.transactions.open.set(workflowId, transaction);
    const close = async () => {
      try {
        await transaction.commit(this.transactions.finish);
      } finally {
        this.transactions.open.delete(workflowId);
      }
      await this.transactions.stored();
    };
    return claimedJournal(workflowId, async (_id, events) => transaction.holdJournal(events), () => transaction.entries, close);
  }

  private checkId(workflowId: string): void {
    parseInput(idSchema, workflowId, 'workflow id', { service: 'workflow', operation: 'journal' });
  }

  private async claim(workflowId: string, entries: JournalEntry[]): Promise<Claim> {
    this.checkId(workflowId);
    if (this.claims.has(workflowId)) throw this.busy(workflowId);
    const session = await guardDb('journal.claim', () => this.pool.connect());
    try {
      const { rows } = await session.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1, hashtext($2)) AS ok', [CLAIM_LOCK_CLASS, workflowId]);
      if (!rows[0]?.ok) throw this.busy(workflowId);
    } catch (error) {
      session.release();
      throw error;
    }
    const claim = { session, entries };
    this.claims.set(workflowId, claim);
    return claim;
  }

  private busy(workflowId: string): UnavailableError {
    return new UnavailableError(`workflow ${workflowId} is claimed by a live process`, { context: { service: 'workflow', operation: 'claim', workflowId } });
  }

  private async release(workflowId: string): Promise<void> {
    const claim = this.claims.get(workflowId);
    if (!claim) return;
    this.claims.delete(workflowId);
    try {
      await claim.session.query('SELECT pg_advisory_unlock($1, hashtext($2))', [CLAIM_LOCK_CLASS, workflowId]);
      claim.session.release();
    } catch (error) {
      // A session whose unlock failed is not returned to the pool: closing it ends the lock with it.
      claim.session.release(error as Error);
    }
  }

  private claimed(workflowId: string, claim: Claim): ClaimedJournal {
    return claimedJournal(workflowId, this.commit, () => claim.entries, () => this.release(workflowId));
  }

}
