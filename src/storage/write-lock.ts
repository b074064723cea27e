import { Mutex } from 'async-mutex';
import * as fs from 'node:fs';
import { hostname } from 'node:os';
import lockfile from 'proper-lockfile';
import { UnavailableError } from '../domain/errors/errors';
import { confine } from './confined-path';
import { environmentFaultOf, storageUnavailable } from './io-errors';

/** How long to wait for another process's lock, and when a lock left by a dead process counts as stale. */
export interface WriteLockOptions {
  /** Give up (UNAVAILABLE) after waiting at least this long. */
  timeoutMs: number;
  /** A lock not refreshed for this long belongs to a dead process and is taken over. */
  staleMs: number;
  /** What the lock guards, for messages ("the data folder" unless said). */
  guards?: string;
  /** The data folder the lock's files must stay inside (a link leading out is FORBIDDEN). */
  confineTo?: string;
}

/** Short first waits (writes take milliseconds), growing to a modest cap; randomised so waiters do not collide. */
const BACKOFF = { minTimeout: 2, maxTimeout: 20, factor: 1.5, randomize: true } as const;

/** How many backoff retries add up to at least `timeoutMs` of waiting. */
function retriesWithin(timeoutMs: number): number {
  let waited = 0;
  let retries = 0;
  for (let delay = BACKOFF.minTimeout; waited < timeoutMs; delay *= BACKOFF.factor, retries++) {
    waited += Math.min(delay, BACKOFF.maxTimeout);
  }
  return retries;
}

type Callback<T> = (error: NodeJS.ErrnoException | null, result?: T) => void;

/** Runs a synchronous call and reports it to a node-style callback on the next tick. */
function viaCallback<A extends unknown[], T>(call: (...args: A) => T): (...args: [...A, Callback<T>]) => void {
  return (...args) => {
    const done = args.pop() as Callback<T>;
    let result: T;
    try {
      result = call(...(args as unknown as A));
    } catch (error) {
      process.nextTick(done, error as NodeJS.ErrnoException);
      return;
    }
    process.nextTick(done, null, result);
  };
}

/**
 * proper-lockfile's `fs` option, served by synchronous calls (see nodeFileSystem for why): taking and releasing
 * the lock is a mkdir, a stat and an rmdir, each far cheaper than a thread-pool hand-off.
 */
const lockFileSystem = {
  ...fs,
  mkdir: viaCallback((path: string) => fs.mkdirSync(path)),
  rmdir: viaCallback((path: string) => fs.rmdirSync(path)),
  stat: viaCallback((path: string) => fs.statSync(path)),
  utimes: viaCallback((path: string, atime: Date, mtime: Date) => fs.utimesSync(path, atime, mtime)),
  realpath: viaCallback((path: string) => fs.realpathSync.native(path)),
};

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
        await release();
      }
    });
  }

  /** Takes the lock across processes (not the in-process mutex); returns the release function. */
  async acquire(): Promise<() => Promise<void>> {
    const lockDir = `${this.lockPath}.lock`;
    if (this.options.confineTo !== undefined) {
      await confine(this.options.confineTo, lockDir);
      await confine(this.options.confineTo, ownerPath(lockDir));
    }
    let release: () => Promise<void>;
    try {
      release = await this.take(0).catch(async (error: NodeJS.ErrnoException) => {
        if (error.code !== 'ELOCKED') throw error;
        // Only a lock someone holds can have a dead owner: a free one is taken without reading any record.
        await breakLockOfDeadOwner(lockDir);
        return this.take(retriesWithin(this.options.timeoutMs));
      });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ELOCKED') {
        const holder = describeOwner(lockDir);
        throw new UnavailableError(`${this.options.guards ?? 'the data folder'} is locked by ${holder} (${lockDir}); try again`, {
          context: { service: 'file', operation: 'lock' },
          cause: error,
        });
      }
      throw lockFault(error, this.lockPath);
    }
    try {
      await writeOwner(lockDir);
    } catch (error) {
      // The record only lets a killed owner's lock be broken early (else it goes stale): a full disk keeps the
      // lock without one, so a change that frees space can still be made. Any other failure gives the lock back.
      removeOwnerQuietly(lockDir);
      if (!isOutOfSpace(error)) {
        await releaseQuietly(lockDir, release);
        throw lockFault(error, this.lockPath);
      }
    }
    return () => releaseQuietly(lockDir, release);
  }

  /**
   * One call to proper-lockfile. A free lock is taken without retries first: the retry schedule for a
   * ten-second wait is hundreds of timeouts, computed on every call, and costs more than taking the lock.
   */
  private take(retries: number): Promise<() => Promise<void>> {
    return lockfile.lock(this.lockPath, {
      lockfilePath: `${this.lockPath}.lock`,
      realpath: false,
      fs: lockFileSystem,
      stale: this.options.staleMs,
      update: Math.max(1000, Math.floor(this.options.staleMs / 2)),
      retries: { ...BACKOFF, retries },
      onCompromised: this.onCompromised,
    });
  }
}

function ownerPath(lockDir: string): string {
  return `${lockDir}.owner`;
}

/**
 * Records which process holds a lock, beside the lock (writing inside it would look like a compromise to
 * proper-lockfile). The lock's inode ties the record to this lock, not to an earlier one at the same path.
 */
async function writeOwner(lockDir: string): Promise<void> {
  const { ino } = fs.statSync(lockDir);
  fs.writeFileSync(ownerPath(lockDir), JSON.stringify({ pid: process.pid, host: hostname(), ino }));
}

/** Removes the owner record and gives the lock back; neither may fail the call that held it. */
async function releaseQuietly(lockDir: string, release: () => Promise<void>): Promise<void> {
  removeOwnerQuietly(lockDir);
  await release().catch(() => undefined); // a compromised lock was already reported
}

function removeOwnerQuietly(lockDir: string): void {
  try {
    fs.rmSync(ownerPath(lockDir), { force: true });
  } catch {
    // a record left behind names this lock's inode, which no later lock has
  }
}

/** A failure to take a lock: a fault of the environment (nothing was changed yet), else as it is. */
function lockFault(error: unknown, file: string): unknown {
  const fault = environmentFaultOf(error);
  return fault ? storageUnavailable(fault.code as string, 'lock', file, { changed: false, cause: error }) : error;
}

function isOutOfSpace(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException)?.code;
  return code === 'ENOSPC' || code === 'EDQUOT';
}

/** Who holds a lock, as its owner record says: "process 123 on host h", or "another process" without a record. */
function describeOwner(lockDir: string): string {
  try {
    const owner = JSON.parse(fs.readFileSync(ownerPath(lockDir), 'utf8')) as { pid?: unknown; host?: unknown };
    if (typeof owner.pid === 'number' && typeof owner.host === 'string') {
      return `process ${owner.pid} on ${owner.host === hostname() ? 'this host' : `host ${owner.host}`}`;
    }
  } catch {
    // no record (yet, or any more): the holder is not known
  }
  return 'another process';
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * A lock whose recorded owner is a process on this host that no longer exists is broken at once, instead of
 * waiting for it to go stale: a killed writer should not hold up recovery. No record, or a live owner, leaves it.
 */
async function breakLockOfDeadOwner(lockDir: string): Promise<void> {
  let owner: { pid?: unknown; host?: unknown; ino?: unknown };
  let ino: number;
  try {
    owner = JSON.parse(fs.readFileSync(ownerPath(lockDir), 'utf8')) as typeof owner;
    ino = fs.statSync(lockDir).ino;
  } catch {
    return;
  }
  if (owner.ino !== ino || owner.host !== hostname() || typeof owner.pid !== 'number') return;
  if (owner.pid === process.pid || isAlive(owner.pid)) return;
  fs.rmSync(lockDir, { recursive: true, force: true });
  fs.rmSync(ownerPath(lockDir), { force: true });
}
