import { dirname } from 'node:path';

/** One call that changes what a power cut could leave, as the recording file system saw it. */
export type DiskOp =
  | { kind: 'create'; path: string; inode: number; content: Buffer }
  | { kind: 'write'; path: string; inode: number; after: Buffer }
  | { kind: 'sync'; path: string; inode: number }
  | { kind: 'rename'; from: string; to: string }
  | { kind: 'link'; existing: string; path: string }
  | { kind: 'unlink'; path: string }
  | { kind: 'sync-folder'; dir: string }
  | { kind: 'mkdir'; dir: string }
  /** The workload was told an operation succeeded: everything it wrote must survive a later cut. */
  | { kind: 'ack'; label: string };

/** What survives a cut, beyond what was synced. */
export type CutKind =
  /** Only synced data under synced names: every unsynced write, create, rename and unlink is lost. */
  | 'synced-only'
  /** Names as the process last saw them (a journaling file system commits them in order), data only as synced. */
  | 'names-kept'
  /** As names-kept, with the last unsynced write half on disk. */
  | 'torn';

interface Inode {
  current: Buffer;
  durable: Buffer;
}

/**
 * A disk as a power cut sees it: each file's bytes as the process wrote them and as last synced, and each
 * folder's names as the process sees them and as last synced. Written by hand: this is the fault model of the
 * simulation (what fsync promises), not plumbing a library offers.
 */
export class DiskModel {
  private readonly inodes = new Map<number, Inode>();
  private readonly names = new Map<string, number>();
  private readonly durableNames = new Map<string, number>();
  private readonly dirs = new Set<string>();
  private lastWrite: { inode: number; before: Buffer; after: Buffer } | undefined;

  /** A disk holding `files` (path to bytes) and `dirs`, all of it synced. */
  constructor(files: ReadonlyMap<string, { inode: number; content: Buffer }>, dirs: Iterable<string>) {
    for (const [path, { inode, content }] of files) {
      this.inodes.set(inode, { current: content, durable: content });
      this.names.set(path, inode);
      this.durableNames.set(path, inode);
    }
    for (const dir of dirs) this.dirs.add(dir);
  }

  apply(op: DiskOp): void {
    switch (op.kind) {
      case 'create':
        this.inodes.set(op.inode, { current: op.content, durable: Buffer.alloc(0) });
        this.names.set(op.path, op.inode);
        this.lastWrite = op.content.length > 0 ? { inode: op.inode, before: Buffer.alloc(0), after: op.content } : undefined;
        return;
      case 'write': {
        const inode = this.inode(op.inode);
        this.lastWrite = { inode: op.inode, before: inode.durable, after: op.after };
        inode.current = op.after;
        return;
      }
      case 'sync': {
        const inode = this.inode(op.inode);
        inode.durable = inode.current;
        if (this.lastWrite?.inode === op.inode) this.lastWrite = undefined;
        return;
      }
      case 'rename': {
        const inode = this.names.get(op.from);
        if (inode === undefined) throw new Error(`disk model: rename of absent ${op.from}`);
        this.names.delete(op.from);
        this.names.set(op.to, inode);
        return;
      }
      case 'link': {
        const inode = this.names.get(op.existing);
        if (inode === undefined) throw new Error(`disk model: link of absent ${op.existing}`);
        this.names.set(op.path, inode);
        return;
      }
      case 'unlink':
        this.names.delete(op.path);
        return;
      case 'sync-folder':
        for (const path of new Set([...this.names.keys(), ...this.durableNames.keys()])) {
          if (dirname(path) !== op.dir) continue;
          const inode = this.names.get(path);
          if (inode === undefined) this.durableNames.delete(path);
          else this.durableNames.set(path, inode);
        }
        return;
      case 'mkdir':
        this.dirs.add(op.dir);
        return;
      case 'ack':
        return;
    }
  }

  /** The files a cut now would leave, path to bytes, and the folders. */
  afterCut(kind: CutKind): { files: Map<string, Buffer>; dirs: string[] } {
    const names = kind === 'synced-only' ? this.durableNames : this.names;
    const files = new Map<string, Buffer>();
    for (const [path, number] of names) {
      const inode = this.inode(number);
      files.set(path, kind === 'torn' && this.lastWrite?.inode === number ? this.torn(this.lastWrite) : inode.durable);
    }
    return { files, dirs: [...this.dirs] };
  }

  /** Whether a torn cut now differs from a names-kept one: an unsynced write is pending. */
  get hasPendingWrite(): boolean {
    return this.lastWrite !== undefined;
  }

  /** Half of a pending write on disk: an append cut mid-way, or a rewrite's first half. */
  private torn(write: { before: Buffer; after: Buffer }): Buffer {
    const appended = write.after.length > write.before.length && write.after.subarray(0, write.before.length).equals(write.before);
    if (appended) return write.after.subarray(0, write.before.length + Math.floor((write.after.length - write.before.length) / 2));
    return write.after.subarray(0, Math.floor(write.after.length / 2));
  }

  private inode(number: number): Inode {
    const inode = this.inodes.get(number);
    if (!inode) throw new Error(`disk model: unknown inode ${number}`);
    return inode;
  }
}
