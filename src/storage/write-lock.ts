import { Mutex } from 'async-mutex';
import lockfile from 'proper-lockfile';
import { UnavailableError } from '../domain/errors/errors';

/** How long to wait for another process's lock, and when a lock left by a dead process counts as stale. */
export interface WriteLockOptions {
  /** Give up (UNAVAILABLE) after waiting at least this long. */
  timeoutMs: number;
  /** A lock not refreshed for this long belongs to a dead process and is taken over. */
  staleMs: number;
}

/** Short first waits (writes take milliseconds), growing to a modest cap; randomised so waiters do not collide. */
const BACKOFF = { minTimeout: 2, maxTimeout: 50, factor: 1.5, randomize: true } as const;

/** How many backoff retries add up to at least `timeoutMs` of waiting. */
function retriesWithin(timeoutMs: number): number {
  let waited = 0;
  let retries = 0;
  for (let delay = BACKOFF.minTimeout; waited < timeoutMs; delay *= BACKOFF.factor, retries++) {
    waited += Math.min(delay, BACKOFF.maxTimeout);
  }
  return retries;
}

/** Defaults suited to a local disk. */
export const DEFAULT_WRITE_LOCK_OPTIONS: WriteLockOptions = { timeoutMs: 10_000, staleMs: 5_000 };

/**
 * Serialises read-modify-write on a data folder: an in-process mutex (so concurrent calls queue instead of
 * spinning on the lock file) in front of proper-lockfile's cross-process lock, which refreshes itself while
 * held and recovers locks left by a killed process.
 */
export class WriteLock {
  private readonly mutex = new Mutex();

  constructor(
    private readonly lockPath: string,
    private readonly options: WriteLockOptions = DEFAULT_WRITE_LOCK_OPTIONS,
    private readonly onCompromised: (error: Error) => void = () => undefined,
  ) {}

  /** Runs `work` while holding the lock in this process and across processes. */
  async run<T>(work: () => Promise<T>): Promise<T> {
    return this.mutex.runExclusive(async () => {
      const release = await this.acquire();
      try {
        return await work();
      } finally {
        await release().catch(() => undefined); // a compromised lock was already reported
      }
    });
  }

  private async acquire(): Promise<() => Promise<void>> {
    try {
      return await lockfile.lock(this.lockPath, {
        lockfilePath: `${this.lockPath}.lock`,
        realpath: false,
        stale: this.options.staleMs,
        update: Math.max(1000, Math.floor(this.options.staleMs / 2)),
        retries: { ...BACKOFF, retries: retriesWithin(this.options.timeoutMs) },
        onCompromised: this.onCompromised,
      });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ELOCKED') {
        throw new UnavailableError(`the data folder is locked by another process (${this.lockPath}.lock); try again`, {
          context: { service: 'file', operation: 'lock' },
          cause: error,
        });
      }
      throw error;
    }
  }
}
