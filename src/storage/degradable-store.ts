import { BrokenCircuitError, circuitBreaker, ConsecutiveBreaker, handleWhen, type CircuitBreakerPolicy } from 'cockatiel';
import { hasErrorCode } from '../domain/errors/agentcfg-error';
import { UnavailableError } from '../domain/errors/errors';
import type { RecordKind } from '../domain/record';
import type { RecordOf } from '../domain/records';
import { isLostTransaction, type Commit, type CommitOptions, type CloseOptions, type CommitReceipt, type IRecordStore, type Planned, type ReadOptions, type StoreHealth, type StoreReader, type StoredCollection } from './record-store';

/** When the breaker opens, and how long it stays open before one call may try the store again. */
export interface DegradableOptions {
  /** Consecutive UNAVAILABLE calls that open the breaker (default 3). */
  failuresToOpen?: number;
  /** Milliseconds the breaker stays open before letting one call through (default 2000). */
  halfOpenAfterMs?: number;
}

/**
 * The store did not answer. A workflow's lost transaction fails each call the workflow still makes: that is one
 * event, already answered by running the workflow again, not an outage to count.
 */
function storeAway(error: unknown): boolean {
  return hasErrorCode(error, 'UNAVAILABLE') && !isLostTransaction(error);
}

/**
 * A store that can go away (a database server restarting, a network cut) behind a circuit breaker: while it is
 * away, reads are served from the last snapshot this process read, and the store says it is degraded; writes
 * fail fast with UNAVAILABLE instead of each waiting on a dead connection. Once a call gets through again, the
 * breaker closes and reads are live. Only UNAVAILABLE counts against the store: a conflict or a refusal is an
 * answer, not an outage.
 */
export class DegradableStore implements IRecordStore {
  private readonly breaker: CircuitBreakerPolicy;
  private readonly snapshots = new Map<RecordKind, readonly unknown[]>();
  private readonly histories = new Map<string, unknown[]>();
  private awaySince: string | undefined;

  constructor(
    private readonly inner: IRecordStore,
    options: DegradableOptions = {},
  ) {
    this.breaker = circuitBreaker(
      handleWhen(storeAway),
      { halfOpenAfter: options.halfOpenAfterMs ?? 2000, breaker: new ConsecutiveBreaker(options.failuresToOpen ?? 3) },
    );
  }

  get location(): string {
    return this.inner.location;
  }
  get changes() {
    return this.inner.changes;
  }
  get audit() {
    return this.inner.audit;
  }
  get journals() {
    return this.inner.journals;
  }

  health(): StoreHealth {
    return this.awaySince === undefined ? { degraded: false } : { degraded: true, since: this.awaySince };
  }

  initialize(): Promise<void> {
    return this.call(() => this.inner.initialize());
  }

  async records<K extends RecordKind>(kind: K): Promise<readonly RecordOf<K>[]> {
    return this.read(
      async () => {
        const items = await this.inner.records(kind);
        this.snapshots.set(kind, items);
        return items;
      },
      () => this.snapshots.get(kind) as readonly RecordOf<K>[] | undefined,
    );
  }

  async get<K extends RecordKind>(kind: K, id: string, options?: ReadOptions): Promise<RecordOf<K> | null> {
    return this.read(
      () => this.inner.get(kind, id, options),
      () => {
        const items = this.snapshots.get(kind) as readonly RecordOf<K>[] | undefined;
        return items && (items.find((r) => r.id === id) ?? null);
      },
    );
  }

  async history<K extends RecordKind>(kind: K, id: string): Promise<RecordOf<K>[]> {
    const key = `${kind}:${id}`;
    return this.read(
      async () => {
        const versions = await this.inner.history(kind, id);
        this.histories.set(key, versions);
        return versions;
      },
      () => this.histories.get(key) as RecordOf<K>[] | undefined,
    );
  }

  inspect<K extends RecordKind>(kind: K): Promise<StoredCollection<RecordOf<K>>> {
    return this.call(() => this.inner.inspect(kind));
  }

  commit(commit: Commit, options?: CommitOptions): Promise<CommitReceipt> {
    return this.call(() => this.inner.commit(commit, options));
  }

  transact<T>(plan: (view: StoreReader) => Promise<Planned<T>>, options?: CommitOptions): Promise<T> {
    return this.call(() => this.inner.transact(plan, options));
  }

  async close(options?: CloseOptions): Promise<void> {
    await this.inner.close?.(options);
  }

  /** A call through the breaker: an open breaker is UNAVAILABLE at once; a call that gets through clears `away`. */
  private async call<T>(work: () => Promise<T>): Promise<T> {
    try {
      const result = await this.breaker.execute(work);
      this.awaySince = undefined;
      return result;
    } catch (error) {
      if (error instanceof BrokenCircuitError) {
        throw new UnavailableError(`the store (${this.inner.location}) is unavailable; calls are refused until it answers again`, {
          cause: error,
          context: { service: 'store', operation: 'call', circuit: 'open' },
        });
      }
      if (storeAway(error)) this.awaySince ??= new Date().toISOString();
      throw error;
    }
  }

  /** A read, served from the last snapshot (degraded) when the store is away and this process has one. */
  private async read<T>(live: () => Promise<T>, snapshot: () => T | undefined): Promise<T> {
    try {
      return await this.call(live);
    } catch (error) {
      const kept = storeAway(error) ? snapshot() : undefined;
      if (kept === undefined) throw error;
      this.awaySince ??= new Date().toISOString();
      return kept;
    }
  }
}
