import { promises as fsp, type MakeDirectoryOptions, type RmOptions, type Stats } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';

/** The calls storage makes on an open file. */
export type FileSystemHandle = Pick<FileHandle, 'write' | 'writeFile' | 'read' | 'stat' | 'sync' | 'datasync' | 'truncate' | 'close'>;

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
  rename(from: string, to: string): Promise<void>;
  link(existing: string, newPath: string): Promise<void>;
  copyFile(source: string, destination: string, mode: number): Promise<void>;
  rm(path: string, options?: RmOptions): Promise<void>;
  truncate(path: string, length: number): Promise<void>;
  mkdir(path: string, options: MakeDirectoryOptions & { recursive: true }): Promise<string | undefined>;
  readdir(path: string): Promise<string[]>;
  stat(path: string): Promise<Stats>;
  /** Makes a folder's entries (new names, renames, removals) durable. */
  syncFolder(path: string): Promise<void>;
}

export const IFileSystem = Symbol.for('agentcfg.FileSystem');

/** The real file system. */
export const nodeFileSystem: IFileSystem = {
  open: (path, flags, mode) => fsp.open(path, flags, mode),
  readFile: (path, encoding) => fsp.readFile(path, encoding),
  writeFile: (path, data) => fsp.writeFile(path, data),
  rename: (from, to) => fsp.rename(from, to),
  link: (existing, newPath) => fsp.link(existing, newPath),
  copyFile: (source, destination, mode) => fsp.copyFile(source, destination, mode),
  rm: (path, options) => fsp.rm(path, options),
  truncate: (path, length) => fsp.truncate(path, length),
  mkdir: (path, options) => fsp.mkdir(path, options),
  readdir: (path) => fsp.readdir(path),
  stat: (path) => fsp.stat(path),
  async syncFolder(path) {
    const handle = await fsp.open(path, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  },
};
