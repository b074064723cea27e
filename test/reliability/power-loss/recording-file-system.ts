import { promises as fsp, type MakeDirectoryOptions, type RmOptions } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { nodeFileSystem, type FileSystemHandle, type IFileSystem } from '../../../src/storage/file-system';
import type { DiskOp } from './disk-model';

/** Which syncs to leave out, to show the simulation fails code that skips one. */
export type SyncFilter = (path: string) => boolean;

/** The data folder as it was when recording began: every file (by inode, so hard links stay links) and folder. */
export interface DiskImage {
  files: Map<string, { inode: number; content: Buffer }>;
  dirs: string[];
}

function isLockPath(path: string): boolean {
  return path.split(sep).some((part) => part.endsWith('.lock'));
}

/**
 * The real file system, logging every call under `root` that a power cut could undo (creates, writes, syncs,
 * renames, links, unlinks), in order. Lock files are left out: they coordinate processes and hold no data.
 * Written by hand: it is the simulation's probe into the product's storage port.
 */
export class RecordingFileSystem implements IFileSystem {
  readonly root: string;
  readonly ops: DiskOp[] = [];
  private recording = false;

  constructor(
    root: string,
    private readonly skipSync: SyncFilter = () => false,
  ) {
    this.root = resolve(root);
  }

  /** Starts logging; returns the folder as it is now, all of it taken as synced. */
  async start(): Promise<DiskImage> {
    const image: DiskImage = { files: new Map(), dirs: [this.root] };
    const walk = async (dir: string): Promise<void> => {
      for (const entry of await fsp.readdir(dir, { withFileTypes: true })) {
        const path = join(dir, entry.name);
        if (isLockPath(path)) continue;
        if (entry.isDirectory()) {
          image.dirs.push(path);
          await walk(path);
        } else if (entry.isFile()) {
          image.files.set(path, { inode: (await fsp.stat(path)).ino, content: await fsp.readFile(path) });
        }
      }
    };
    await walk(this.root);
    this.recording = true;
    return image;
  }

  /** Notes that the workload was told an operation succeeded. */
  ack(label: string): void {
    this.ops.push({ kind: 'ack', label });
  }

  async open(path: string, flags: string, mode?: number): Promise<FileSystemHandle> {
    const existed = this.tracks(path) && (await exists(path));
    const handle = await nodeFileSystem.open(path, flags, mode);
    if (!this.tracks(path)) return handle;
    const inode = (await handle.stat()).ino;
    // An fsync through a file opened only to read makes its data durable all the same (a checkpoint does that).
    if (flags === 'r') return { ...handle, sync: () => this.syncOf(handle.sync, path, inode), datasync: () => this.syncOf(handle.datasync, path, inode) };
    if (!existed) this.record({ kind: 'create', path, inode, content: Buffer.alloc(0) });
    else if (flags.startsWith('w')) this.record({ kind: 'write', path, inode, after: Buffer.alloc(0) });
    return this.recordingHandle(handle, path, inode);
  }

  readFile(path: string, encoding: 'utf8'): Promise<string> {
    return nodeFileSystem.readFile(path, encoding);
  }

  writeFile(path: string, data: string): Promise<void> {
    return this.recordWhole(path, data, () => nodeFileSystem.writeFile(path, data));
  }

  overwrite(path: string, text: string): Promise<void> {
    return this.recordWhole(path, text, () => nodeFileSystem.overwrite(path, text));
  }

  /** Runs a call that leaves `path` holding exactly `text`, and records it as a create or a write. */
  private async recordWhole(path: string, text: string, call: () => Promise<void>): Promise<void> {
    const existed = this.tracks(path) && (await exists(path));
    await call();
    if (!this.tracks(path)) return;
    const inode = (await fsp.stat(path)).ino;
    if (existed) this.record({ kind: 'write', path, inode, after: Buffer.from(text) });
    else this.record({ kind: 'create', path, inode, content: Buffer.from(text) });
  }

  async rename(from: string, to: string): Promise<void> {
    await nodeFileSystem.rename(from, to);
    if (this.tracks(to)) this.record({ kind: 'rename', from, to });
  }

  async link(existing: string, path: string): Promise<void> {
    await nodeFileSystem.link(existing, path);
    if (this.tracks(path)) this.record({ kind: 'link', existing, path });
  }

  async copyFile(source: string, destination: string, mode: number): Promise<void> {
    await nodeFileSystem.copyFile(source, destination, mode);
    if (this.tracks(destination)) this.record({ kind: 'create', path: destination, inode: (await fsp.stat(destination)).ino, content: await fsp.readFile(destination) });
  }

  async rm(path: string, options?: RmOptions): Promise<void> {
    const existed = this.tracks(path) && (await exists(path));
    await nodeFileSystem.rm(path, options);
    if (existed) this.record({ kind: 'unlink', path });
  }

  async truncate(path: string, length: number): Promise<void> {
    await nodeFileSystem.truncate(path, length);
    if (this.tracks(path)) this.record({ kind: 'write', path, inode: (await fsp.stat(path)).ino, after: await fsp.readFile(path) });
  }

  async mkdir(path: string, options: MakeDirectoryOptions & { recursive: true }): Promise<string | undefined> {
    const made = await nodeFileSystem.mkdir(path, options);
    if (this.tracks(path)) this.record({ kind: 'mkdir', dir: resolve(path) });
    return made;
  }

  readdir(path: string): Promise<string[]> {
    return nodeFileSystem.readdir(path);
  }

  statIfExists(path: string) {
    return nodeFileSystem.statIfExists(path);
  }

  checkWritable(path: string) {
    return nodeFileSystem.checkWritable(path);
  }

  freeBytes(path: string) {
    return nodeFileSystem.freeBytes(path);
  }

  stat(path: string) {
    return nodeFileSystem.stat(path);
  }

  async syncFolder(path: string): Promise<void> {
    await nodeFileSystem.syncFolder(path);
    if (this.tracks(path) && !this.skipSync(path)) this.record({ kind: 'sync-folder', dir: resolve(path) });
  }

  private async syncOf(call: () => Promise<void>, path: string, inode: number): Promise<void> {
    await call();
    if (!this.skipSync(path)) this.record({ kind: 'sync', path, inode });
  }

  private recordingHandle(handle: FileSystemHandle, path: string, inode: number): FileSystemHandle {
    const afterWrite = async () => {
      const now = await fsp.stat(path);
      if (now.ino !== inode) throw new Error(`recording file system: ${path} was replaced while open for writing`);
      this.record({ kind: 'write', path, inode, after: await fsp.readFile(path) });
    };
    const sync = async (call: () => Promise<void>) => {
      await call();
      if (!this.skipSync(path)) this.record({ kind: 'sync', path, inode });
    };
    const wrapped: FileSystemHandle = {
      write: async (text) => {
        await handle.write(text);
        await afterWrite();
      },
      writeFile: async (text) => {
        await handle.writeFile(text);
        await afterWrite();
      },
      truncate: async (length) => {
        await handle.truncate(length);
        await afterWrite();
      },
      sync: () => sync(() => handle.sync()),
      datasync: () => sync(() => handle.datasync()),
      read: (buffer, offset, length, position) => handle.read(buffer, offset, length, position),
      stat: () => handle.stat(),
      close: () => handle.close(),
    };
    return wrapped;
  }

  private tracks(path: string): boolean {
    if (!this.recording) return false;
    const rel = relative(this.root, resolve(path));
    return !rel.startsWith('..') && !isLockPath(resolve(path));
  }

  private record(op: DiskOp): void {
    this.ops.push(op);
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await fsp.lstat(path);
    return true;
  } catch {
    return false;
  }
}

/** Writes what a cut left (paths under `from`) into the folder `to`. */
export async function materialize(cut: { files: Map<string, Buffer>; dirs: string[] }, from: string, to: string): Promise<void> {
  const moved = (path: string) => join(to, relative(from, path));
  for (const dir of [...cut.dirs].sort()) await fsp.mkdir(moved(dir), { recursive: true });
  for (const [path, content] of cut.files) {
    await fsp.mkdir(dirname(moved(path)), { recursive: true });
    await fsp.writeFile(moved(path), content);
  }
}
