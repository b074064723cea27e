import { basename } from 'node:path';
import { nodeFileSystem, type FileSystemHandle, type IFileSystem } from '../../src/storage/file-system';

/** The kinds of file-system call a fault can be planted in. */
export type FaultableCall = 'write' | 'fsync' | 'rename' | 'mkdir' | 'open';

/** The errors of an environment that cannot take a write. */
export const ENVIRONMENT_ERRNOS = ['ENOSPC', 'EDQUOT', 'EROFS', 'EACCES', 'EMFILE', 'EIO'] as const;
export type EnvironmentErrno = (typeof ENVIRONMENT_ERRNOS)[number];

/** A storage fault to plant: the `k`-th faultable file-system call from now (counted from 1) fails with `errno`. */
export interface StorageFault {
  k: number;
  errno: EnvironmentErrno;
}

/** Where an armed fault fired. */
export interface FiredFault {
  call: FaultableCall | 'access';
  file: string;
}

/** Errors `access(W_OK)` itself reports: only these faults are planted in the writability check. */
const ACCESS_ERRNOS: ReadonlySet<EnvironmentErrno> = new Set(['EROFS', 'EACCES']);

/**
 * The real file system with a fault that can be planted, armed and disarmed while it runs: every write, fsync,
 * rename, mkdir and open is faultable (a failing write first writes half its bytes, as a disk that fills mid-write
 * does), and with EROFS or EACCES the writability check too, where a read-only or forbidden folder shows first.
 * Calls are counted from construction or the last `arm`; once the fault fires it is spent, so the calls after it
 * (the undo, the recovery) go through. Nothing else is faked.
 */
export class FaultyFileSystem {
  readonly fs: IFileSystem;
  private armed: StorageFault | undefined;
  /** Faultable calls since the fault was armed. */
  private calls = 0;
  /** Where the armed fault fired, once it has. */
  fired: FiredFault | undefined;

  constructor(fault?: StorageFault, real: IFileSystem = nodeFileSystem) {
    this.fs = this.wrap(real);
    if (fault) this.arm(fault);
  }

  /** Makes the `k`-th faultable call from now fail with `errno` (replacing any fault armed before). */
  arm(fault: StorageFault): void {
    this.armed = fault;
    this.calls = 0;
    this.fired = undefined;
  }

  /** Faultable calls counted since the fault was last armed. */
  get counted(): number {
    return this.calls;
  }

  /** No fault any more (one that fired stays reported in `fired` until the next `arm`). */
  disarm(): void {
    this.armed = undefined;
  }

  /** Counts a call and throws the armed fault when the call is the k-th; `partial` runs first (a half write). */
  private async check(call: FiredFault['call'], path: string, partial?: () => Promise<void>): Promise<void> {
    const fault = this.armed;
    // The writability check is a faultable call only where it is the one that would fail (read-only, forbidden).
    if (call === 'access' && (!fault || !ACCESS_ERRNOS.has(fault.errno))) return;
    if (++this.calls !== fault?.k) return;
    this.armed = undefined;
    this.fired = { call, file: basename(path) };
    await partial?.();
    throw Object.assign(new Error(`${fault.errno}: simulated fault, ${call} '${path}'`), { code: fault.errno, syscall: call, path });
  }

  private handle(handle: FileSystemHandle, path: string): FileSystemHandle {
    const half = (text: string) => () => handle.write(text.slice(0, Math.floor(text.length / 2)));
    return {
      ...handle,
      write: async (text) => {
        await this.check('write', path, half(text));
        return handle.write(text);
      },
      writeFile: async (text) => {
        await this.check('write', path, half(text));
        return handle.writeFile(text);
      },
      sync: async () => {
        await this.check('fsync', path);
        return handle.sync();
      },
      datasync: async () => {
        await this.check('fsync', path);
        return handle.datasync();
      },
    };
  }

  private wrap(real: IFileSystem): IFileSystem {
    return {
      ...real,
      open: async (path, flags, mode) => {
        await this.check('open', path);
        return this.handle(await real.open(path, flags, mode), path);
      },
      writeFile: async (path, data) => {
        await this.check('write', path);
        return real.writeFile(path, data);
      },
      overwrite: async (path, text) => {
        await this.check('write', path);
        return real.overwrite(path, text);
      },
      rename: async (from, to) => {
        await this.check('rename', to);
        return real.rename(from, to);
      },
      mkdir: async (path, options) => {
        await this.check('mkdir', path);
        return real.mkdir(path, options);
      },
      syncFolder: async (path) => {
        await this.check('fsync', path);
        return real.syncFolder(path);
      },
      checkWritable: async (path) => {
        await this.check('access', path);
        return real.checkWritable(path);
      },
    };
  }
}
