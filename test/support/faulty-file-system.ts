import { basename } from 'node:path';
import { nodeFileSystem, type FileSystemHandle, type IFileSystem } from '../../src/storage/file-system';

/** The kinds of file-system call a fault can be planted in. */
export type FaultableCall = 'write' | 'fsync' | 'rename' | 'mkdir' | 'open';

/** The errors of an environment that cannot take a write. */
export const ENVIRONMENT_ERRNOS = ['ENOSPC', 'EDQUOT', 'EROFS', 'EACCES', 'EMFILE', 'EIO'] as const;
export type EnvironmentErrno = (typeof ENVIRONMENT_ERRNOS)[number];

/** The fault planted: the `n`-th faultable call (counted from 1) fails with `errno`. */
export interface PlantedFault {
  n: number;
  errno: EnvironmentErrno;
}

/**
 * The real file system, with every write, fsync, rename, mkdir and open counted, and one of them (the n-th) made
 * to fail as the system would: a write that fails first writes half its bytes, as a disk that fills mid-write
 * does. Nothing else is faked.
 */
export class FaultyFileSystem {
  /** Faultable calls made so far. */
  calls = 0;
  /** What the failed call was, once the fault has been hit. */
  hit: { call: FaultableCall; file: string } | undefined;
  readonly fs: IFileSystem;

  constructor(private readonly fault?: PlantedFault) {
    this.fs = this.wrap(nodeFileSystem);
  }

  /** Counts a call and throws the planted error when it is the one; `partial` runs first (a half write). */
  private async check(call: FaultableCall, path: string, partial?: () => Promise<void>): Promise<void> {
    this.calls++;
    if (!this.fault || this.calls !== this.fault.n) return;
    this.hit = { call, file: basename(path) };
    await partial?.();
    throw Object.assign(new Error(`${this.fault.errno}: simulated fault, ${call} '${path}'`), { code: this.fault.errno, syscall: call, path });
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
    };
  }
}
