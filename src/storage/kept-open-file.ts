import type { FileSystemHandle, IFileSystem } from './file-system';
import { IdleTask } from './idle-task';


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
  /** Closes the file after a moment without use (on real time, never keeping the process alive). */
  private readonly idleClose: IdleTask;

  constructor(
    private readonly fs: IFileSystem,
    private readonly flags: string,
    idleCloseMs = DEFAULT_IDLE_CLOSE_MS,
  ) {
    this.idleClose = new IdleTask(idleCloseMs, () => {
      if (this.inUse === 0) void this.close();
    });
  }

  /** Runs `work` on the file at `path`, opened (and made) if it is not already open. */
  async use<T>(path: string, work: (handle: FileSystemHandle) => Promise<T>): Promise<T> {
    this.inUse++;
    this.idleClose.cancel();
    try {
      const { handle } = await this.openAt(path);
      return await work(handle);
    } catch (error) {
      await this.close();
      throw error;
    } finally {
      this.inUse--;
      if (this.inUse === 0 && this.current) this.idleClose.restart();
    }
  }

  /** Closes the file now (the next use opens it again). */
  async close(): Promise<void> {
    this.idleClose.cancel();
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
}
