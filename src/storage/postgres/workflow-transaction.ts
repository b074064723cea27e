import { appendHeld, stampedNow } from '../held-run';
import { Mutex } from 'async-mutex';
import type { PoolClient } from 'pg';
import type { StampedEvent } from '../../audit/audit-chain';
import type { AuditEvent } from '../../audit/audit-entry';
import { isAgentcfgError } from '../../domain/errors/agentcfg-error';
import { UnavailableError } from '../../domain/errors/errors';
import type { RecordKind } from '../../domain/record';
import type { JournalEntry, JournalEvent } from '../../domain/workflow/journal-entry';
import { storeError } from './pg-errors';

/**
 * Savepoints left open before they are released together. Each commit of a step opens one; releasing it would cost
 * a round trip of its own, so they are let pile up (a rollback goes to the newest) and released in bulk, well before
 * their number slows the server (it keeps 64 subtransactions per transaction in shared memory).
 */
const OPEN_SAVEPOINTS = 32;

/** SQLSTATEs after which the transaction cannot go on: a deadlock victim, a serialisation failure. */
const ABORTING = new Set(['40P01', '40001']);

/** A database error the server answered with (so it rolled back what it refused), not a connection that failed. */
function answered(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) && !/^(08|57P)/.test(code);
}

/** What the transaction does when it is stored, in the same transaction: chain the audit entries, record the run. */
export interface Finish {
  /** Appends held audit entries after the chain's end (the chain's lock is taken here, at the very end). */
  audit(client: PoolClient, held: readonly StampedEvent[]): Promise<unknown>;
  /** Moves on the revisions of the kinds changed, and tells listeners once the transaction commits. */
  announce(client: PoolClient, touched: ReadonlySet<RecordKind>): Promise<void>;
}

/**
 * One workflow run as one transaction on a connection of its own. Its steps' commits run inside it one at a time,
 * each under a savepoint, so a refused commit leaves the rest standing; its journal events and audit entries are
 * held in memory and written at the end, with the run's row, the revision bump and the audit chain's lock taken
 * last, so concurrent runs on other connections overlap in everything but that short tail. A client that dies
 * before the end leaves nothing: the server rolls the transaction back with its connection.
 */
export class WorkflowTransaction {
  readonly entries: JournalEntry[] = [];
  private readonly audit: StampedEvent[] = [];
  private readonly touched = new Set<RecordKind>();
  private readonly oneAtATime = new Mutex();
  private lost: UnavailableError | undefined;
  private savepoints = 0;
  private ended = false;
  private done = false;

  private constructor(
    readonly workflowId: string,
    private readonly client: PoolClient,
  ) {}

  /** Begins the transaction on `client` (checked out for the run, released when it ends). */
  static async begin(workflowId: string, client: PoolClient): Promise<WorkflowTransaction> {
    try {
      await client.query('BEGIN');
    } catch (error) {
      client.release(error as Error);
      throw storeError(error, 'workflow.begin');
    }
    return new WorkflowTransaction(workflowId, client);
  }

  /**
   * Runs one commit inside the transaction under a savepoint: a commit refused (by the service's own checks or by
   * the database: a CONFLICT, a CHECK) is rolled back alone and rethrown as it is, for the store to type. A failure
   * the transaction cannot survive loses it (see lose).
   */
  run<T>(work: (client: PoolClient) => Promise<{ result: T; touched: ReadonlySet<RecordKind> }>): Promise<T> {
    return this.oneAtATime.runExclusive(async () => {
      if (this.lost) throw this.lost;
      if (this.done) throw new Error(`workflow ${this.workflowId}'s transaction has ended`);
      try {
        // Releasing the oldest releases every savepoint made after it too.
        if (this.savepoints >= OPEN_SAVEPOINTS) {
          await this.client.query('RELEASE SAVEPOINT step_1');
          this.savepoints = 0;
        }
        await this.client.query(`SAVEPOINT step_${++this.savepoints}`);
      } catch (error) {
        throw this.lose(error);
      }
      try {
        const { result, touched } = await work(this.client);
        touched.forEach((kind) => this.touched.add(kind));
        return result;
      } catch (error) {
        if (!isAgentcfgError(error) && (!answered(error) || ABORTING.has((error as { code: string }).code))) throw this.lose(error);
        try {
          // Back to this commit's savepoint, which stays open (released later with the rest).
          await this.client.query(`ROLLBACK TO SAVEPOINT step_${this.savepoints}`);
        } catch (rollback) {
          throw this.lose(rollback);
        }
        throw error;
      }
    });
  }

  /** Reads as the run sees the records, its own changes included. */
  read<T>(work: (client: PoolClient) => Promise<T>): Promise<T> {
    return this.oneAtATime.runExclusive(async () => {
      if (this.lost) throw this.lost;
      try {
        return await work(this.client);
      } catch (error) {
        throw this.lose(error);
      }
    });
  }

  /** Holds audit entries of the run, stamped now, for the end. */
  holdAudit(events: readonly AuditEvent[]): void {
    this.audit.push(...stampedNow(events));
  }

  /** Appends journal events (numbered and checksummed now, stored at the end); returns them as they will be stored. */
  holdJournal(events: readonly { event: JournalEvent; data: Record<string, unknown> }[]): JournalEntry[] {
    return appendHeld(this.entries, events);
  }

  /** Notes that the run reached its end (its row is stored as ended). */
  markEnded(): void {
    this.ended = true;
  }

  /**
   * Stores everything the run did, or (after a loss) nothing: then throws the loss. A connection that fails while
   * COMMIT is on its way leaves the outcome unknown: UNAVAILABLE, telling the caller to look.
   */
  async commit(finish: Finish): Promise<void> {
    await this.oneAtATime.runExclusive(async () => {
      if (this.done) return;
      this.done = true;
      if (this.lost) return this.rollBack(this.lost);
      let committing = false;
      try {
        await finish.audit(this.client, this.audit);
        // The run's row and its journal in one statement (the journal's foreign key is checked at its end).
        await this.client.query(
          `WITH run AS (INSERT INTO agentcfg_workflows (workflow_id, ended) VALUES ($1, $2))
           INSERT INTO agentcfg_journal (workflow_id, seq, line) SELECT $1, * FROM unnest($3::integer[], $4::text[])`,
          [this.workflowId, this.ended, this.entries.map((e) => e.seq), this.entries.map((e) => JSON.stringify(e))],
        );
        await finish.announce(this.client, this.touched);
        committing = true;
        await this.client.query('COMMIT');
        this.client.release();
      } catch (error) {
        if (committing && !answered(error)) {
          this.client.release(error as Error);
          throw new UnavailableError(`the connection failed while workflow ${this.workflowId} was being stored; \`workflow show ${this.workflowId}\` tells whether it was`, {
            cause: error,
            context: { service: 'store', operation: 'workflow.commit', workflowId: this.workflowId },
          });
        }
        return this.rollBack(this.lose(error));
      }
    });
  }

  private async rollBack(lost: UnavailableError): Promise<never> {
    await this.client.query('ROLLBACK').catch(() => undefined);
    this.client.release(lost);
    throw lost;
  }

  /** The transaction is gone: every call after this one fails with the same error, and the end rolls back. */
  private lose(error: unknown): UnavailableError {
    this.lost ??= new UnavailableError(`workflow ${this.workflowId}'s transaction was lost before it was stored, so nothing of it was: ${(error as Error).message}`, {
      cause: error,
      context: { service: 'store', operation: 'workflow.commit', workflowId: this.workflowId, transactionLost: true, code: (error as { code?: string } | null)?.code ?? null },
    });
    return this.lost;
  }
}

/**
 * The workflow transactions open in this process, by workflow id: where its steps' commits and audit entries go.
 * Process-wide rather than per store: a workflow id is unique, and a step's commit belongs to its workflow's
 * transaction whichever store object of the process it is made through.
 */
export const openWorkflowTransactions = new Map<string, WorkflowTransaction>();
