import * as fs from 'node:fs';
import { promises as fsp, type MakeDirectoryOptions, type RmOptions, type Stats } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';

/** The calls storage makes on an open file. */
export interface FileSystemHandle {
  /** Writes all of `text` at the file's position (its end, for a file opened to append). */
  write(text: string): Promise<void>;
  /** Writes all of `text` from the file's position (its start, for a file just opened to write). */
  writeFile(text: string): Promise<void>;
  read(buffer: Buffer, offset: number, length: number, position: number | null): Promise<{ bytesRead: number }>;
  stat(): Promise<Stats>;
  sync(): Promise<void>;
  datasync(): Promise<void>;
  truncate(length: number): Promise<void>;
  close(): Promise<void>;
}

/**
 * The file-system calls of everything agentcfg stores (collections, histories, journals, the audit log), as one
 * port: production binds the node implementation; the power-loss simulation binds a double that records every
 * write, sync, rename and unlink so it can replay what a power cut would leave. Cross-process lock files are not
 * stored data and stay outside it (a cut leaves no live owner, which the lock already recovers from).
 */
export interface IFileSystem {
  open(path: string, flags: string, mode?: number): Promise<FileSystemHandle>;
  readFile(path: string, encoding: 'utf8'): Promise<string>;
  writeFile(path: string, data: string): Promise<void>;
  /**
   * Writes `text` over the start of a file (made if absent) and cuts what lies past it, without truncating it
   * first or renaming: for small files that need no durability, where a replace would cost a flush.
   */
  overwrite(path: string, text: string): Promise<void>;
  rename(from: string, to: string): Promise<void>;
  link(existing: string, newPath: string): Promise<void>;
  copyFile(source: string, destination: string, mode: number): Promise<void>;
  rm(path: string, options?: RmOptions): Promise<void>;
  truncate(path: string, length: number): Promise<void>;
  mkdir(path: string, options: MakeDirectoryOptions & { recursive: true }): Promise<string | undefined>;
  readdir(path: string): Promise<string[]>;
  stat(path: string): Promise<Stats>;
  /** As stat, but null when nothing is there: absence is common for the files asked this way, and an error costs more than the call. */
  statIfExists(path: string): Promise<Stats | null>;
  /** Makes a folder's entries (new names, renames, removals) durable. */
  syncFolder(path: string): Promise<void>;
  /** Fails with the system's error (EROFS on read-only media, EACCES) when this process may not write in `path`. */
  checkWritable(path: string): Promise<void>;
  /** Bytes an unprivileged writer may still use on the file system holding `path`. */
  freeBytes(path: string): Promise<number>;
}

export const IFileSystem = Symbol.for('agentcfg.FileSystem');

/** Runs a synchronous call as a promise, so a thrown error becomes a rejection like the async API's. */
function settled<A extends unknown[], R>(call: (...args: A) => R): (...args: A) => Promise<R> {
  return async (...args) => call(...args);
}

function handleOf(handle: FileHandle): FileSystemHandle {
  const { fd } = handle;
  // From the descriptor's position, so one call serves both: an append, and a new file's content.
  const writeAll = settled((text: string) => fs.writeFileSync(fd, text));
  return {
    write: writeAll,
    writeFile: writeAll,
    read: settled((buffer: Buffer, offset: number, length: number, position: number | null) => ({ bytesRead: fs.readSync(fd, buffer, offset, length, position) })),
    stat: settled(() => fs.fstatSync(fd)),
    sync: settled(() => fs.fsyncSync(fd)),
    datasync: settled(() => fs.fdatasyncSync(fd)),
    truncate: settled((length: number) => fs.ftruncateSync(fd, length)),
    close: () => handle.close(),
  };
}

/**
 * The real file system, mostly called synchronously behind the promise-returning port. Storage makes many small
 * calls on local files (a few microseconds each), and handing each to libuv's thread pool and back costs far more
 * than the call: about 130 µs against 8 µs for a stat on the machines we measure, which made the hand-offs most of
 * a workflow's time. Embedded databases for Node (better-sqlite3) make the same choice.
 *
 * Two calls stay on `fs.promises`, where fault injection intercepts them: `open` (an I/O error) and `rename`, the
 * commit point of every durable replace (a busy file, a process killed just before it). An open through the thread
 * pool also keeps a FIFO planted in the data folder from blocking more than the one call (and its timeout).
 */
export const nodeFileSystem: IFileSystem = {
  open: async (path, flags, mode) => handleOf(await fsp.open(path, flags, mode)),
  readFile: settled((path: string, encoding: 'utf8') => fs.readFileSync(path, encoding)),
  writeFile: settled((path: string, data: string) => fs.writeFileSync(path, data)),
  overwrite: settled((path: string, text: string) => {
    // O_NONBLOCK: a FIFO planted at the path fails (ENXIO) instead of blocking the process.
    const fd = fs.openSync(path, fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_NONBLOCK, 0o644);
    try {
      const bytes = Buffer.from(text);
      for (let written = 0; written < bytes.length; ) written += fs.writeSync(fd, bytes, written, bytes.length - written, written);
      fs.ftruncateSync(fd, bytes.length);
    } finally {
      fs.closeSync(fd);
    }
  }),
  rename: (from, to) => fsp.rename(from, to),
  link: settled((existing: string, newPath: string) => fs.linkSync(existing, newPath)),
  copyFile: settled((source: string, destination: string, mode: number) => fs.copyFileSync(source, destination, mode)),
  rm: settled((path: string, options?: RmOptions) => fs.rmSync(path, options)),
  truncate: settled((path: string, length: number) => fs.truncateSync(path, length)),
  mkdir: settled((path: string, options: MakeDirectoryOptions & { recursive: true }) => fs.mkdirSync(path, options)),
  readdir: settled((path: string) => fs.readdirSync(path)),
  stat: settled((path: string) => fs.statSync(path)),
  statIfExists: settled((path: string) => fs.statSync(path, { throwIfNoEntry: false }) ?? null),
  checkWritable: settled((path: string) => fs.accessSync(path, fs.constants.W_OK)),
  freeBytes: settled((path: string) => {
    const { bavail, bsize } = fs.statfsSync(path);
    return bavail * bsize;
  }),
  syncFolder: settled((path: string) => {
    const fd = fs.openSync(path, 'r');
    try {
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
  }),
};
