import { nodeFileSystem, type FileSystemHandle, type IFileSystem } from '../dist/storage/file-system';

/** Calls made through the library's file-system port (IFileSystem) and the handles it opened. */
export interface IoCounts {
  /** Every call, on the port and on the handles it opened. */
  calls: number;
  /** fdatasync and fsync of open files (a handle's `datasync` and `sync`). */
  fileSyncs: number;
  /** fsyncs of folders (the port's `syncFolder`). */
  folderSyncs: number;
  /** Calls by name: the port's (`open`, `rename`, ...) and the handles' (`handle.write`, `handle.datasync`, ...). */
  byName: Record<string, number>;
}

/** No calls yet. */
export function noCalls(): IoCounts {
  return { calls: 0, fileSyncs: 0, folderSyncs: 0, byName: {} };
}

/** What `later` counted since `earlier` (two snapshots of the same counter). */
export function callsBetween(earlier: IoCounts, later: IoCounts): IoCounts {
  const byName: Record<string, number> = {};
  for (const [name, count] of Object.entries(later.byName)) {
    const made = count - (earlier.byName[name] ?? 0);
    if (made > 0) byName[name] = made;
  }
  return { calls: later.calls - earlier.calls, fileSyncs: later.fileSyncs - earlier.fileSyncs, folderSyncs: later.folderSyncs - earlier.folderSyncs, byName };
}

/** The sum of several counts. */
export function addCalls(counts: readonly IoCounts[]): IoCounts {
  const total = noCalls();
  for (const count of counts) {
    total.calls += count.calls;
    total.fileSyncs += count.fileSyncs;
    total.folderSyncs += count.folderSyncs;
    for (const [name, made] of Object.entries(count.byName)) total.byName[name] = (total.byName[name] ?? 0) + made;
  }
  return total;
}

/** Every method of `target`, own and inherited (a port may be a plain object or a class instance). */
function methodNames(target: object): string[] {
  const names = new Set<string>();
  for (let level: object | null = target; level && level !== Object.prototype; level = Object.getPrototypeOf(level) as object | null) {
    for (const name of Object.getOwnPropertyNames(level)) {
      if (name !== 'constructor' && typeof (target as Record<string, unknown>)[name] === 'function') names.add(name);
    }
  }
  return [...names];
}

/**
 * The node file system the library binds by default, with every call counted on its way through: a counter per
 * call and nothing else (no extra promise, no copy), so the timings are the library's own. Each method of the port
 * and of every handle it opens is wrapped, whatever the port has now, so a method the storage gains is counted too:
 * a handle's method whose name holds "sync" counts as a file sync, the port's own (syncFolder) as a folder sync.
 * Cross-process lock files are outside the port (see IFileSystem) and are not counted.
 */
export class CountingFileSystem {
  readonly fileSystem: IFileSystem;
  private readonly counts = noCalls();

  constructor(inner: IFileSystem = nodeFileSystem) {
    this.fileSystem = this.wrap(inner, '', (name, result) => (name.startsWith('open') ? this.wrapOpened(result) : result));
  }

  /** A snapshot of the counts so far. */
  snapshot(): IoCounts {
    return { ...this.counts, byName: { ...this.counts.byName } };
  }

  private wrapOpened(result: unknown): unknown {
    if (!(result instanceof Promise)) return result;
    return result.then((handle: unknown) => (handle && typeof handle === 'object' ? this.wrap(handle as FileSystemHandle, 'handle.', (_name, value) => value) : handle));
  }

  private wrap<T extends object>(target: T, prefix: string, after: (name: string, result: unknown) => unknown): T {
    const wrapped: Record<string, unknown> = {};
    for (const name of methodNames(target)) {
      const method = (target as Record<string, (...args: unknown[]) => unknown>)[name] as (...args: unknown[]) => unknown;
      const label = `${prefix}${name}`;
      const sync = /sync/i.test(name);
      wrapped[name] = (...args: unknown[]) => {
        this.count(label, sync, prefix !== '');
        return after(name, method.apply(target, args));
      };
    }
    return wrapped as T;
  }

  private count(label: string, sync: boolean, onHandle: boolean): void {
    this.counts.calls++;
    this.counts.byName[label] = (this.counts.byName[label] ?? 0) + 1;
    if (sync && onHandle) this.counts.fileSyncs++;
    else if (sync) this.counts.folderSyncs++;
  }
}
