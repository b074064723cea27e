import type { FileSystemHandle, IFileSystem } from './file-system';

/** Captured when the module loads, so the idle close runs on real time even under a caller's fake clock. */
const realSetTimeout = globalThis.setTimeout;
const realClearTimeout = globalThis.clearTimeout;

/** Long enough to span one workflow's appends, short enough that an idle process holds no files open. */
export const DEFAULT_IDLE_CLOSE_MS = 1000;

interface OpenFile {
  handle: FileSystemHandle;
  dev: number;
  ino: number;
}

/**
 * One file kept open between uses, for a log appended to many times in a row: an open and a close cost about half
 * a millisecond together, several times the append. Before each use the path is checked to still name the open
 * file (same device and inode), so a log someone moved, deleted or replaced is reopened at its path, never written
 * past. The file is closed after a moment without use, and after any failed use (its state is then unknown).
 * Callers serialise their uses (the log's lock does); the count of uses in flight keeps the idle close away.
 */
export class KeptOpenFile {
  private current: OpenFile | undefined;
  private inUse = 0;
  private idleTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly fs: IFileSystem,
    private readonly flags: string,
    private readonly idleCloseMs = DEFAULT_IDLE_CLOSE_MS,
  ) {}

  /** Runs `work` on the file at `path`, opened (and made) if it is not already open. */
  async use<T>(path: string, work: (handle: FileSystemHandle) => Promise<T>): Promise<T> {
    this.inUse++;
    this.cancelIdleClose();
    try {
      const { handle } = await this.openAt(path);
      return await work(handle);
    } catch (error) {
      await this.close();
      throw error;
    } finally {
      this.inUse--;
      this.scheduleIdleClose();
    }
  }

  /** Closes the file now (the next use opens it again). */
  async close(): Promise<void> {
    this.cancelIdleClose();
    const open = this.current;
    this.current = undefined;
    await open?.handle.close().catch(() => undefined); // nothing was pending on it
  }

  private async openAt(path: string): Promise<OpenFile> {
    if (this.current && (await this.stillNamedBy(path, this.current))) return this.current;
    await this.close();
    const handle = await this.fs.open(path, this.flags, 0o644);
    try {
      const { dev, ino } = await handle.stat();
      this.current = { handle, dev, ino };
      return this.current;
    } catch (error) {
      await handle.close();
      throw error;
    }
  }

  private async stillNamedBy(path: string, open: OpenFile): Promise<boolean> {
    try {
      const { dev, ino } = await this.fs.stat(path);
      return dev === open.dev && ino === open.ino;
    } catch {
      return false; // gone: reopen, which makes it again or reports why it cannot
    }
  }

  private scheduleIdleClose(): void {
    if (this.inUse > 0 || !this.current) return;
    this.idleTimer = realSetTimeout(() => {
      this.idleTimer = undefined;
      if (this.inUse === 0) void this.close();
    }, this.idleCloseMs);
    this.idleTimer.unref();
  }

  private cancelIdleClose(): void {
    if (this.idleTimer === undefined) return;
    realClearTimeout(this.idleTimer);
    this.idleTimer = undefined;
  }
}
