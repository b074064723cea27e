import { basename } from 'node:path';
import { nodeFileSystem, type FileSystemHandle, type IFileSystem } from '../../src/storage/file-system';

/** One call storage made, and the name of the file it was made on. */
export interface FileSystemCall {
  call: 'write' | 'datasync' | 'sync' | 'rename';
  file: string;
  /** For a write: how many lines end in it. */
  lines?: number;
}

/**
 * The real file system, with the writes, syncs and renames storage makes listed in order, so a test can check
 * what reached the disk before what. Nothing is faked: every call goes through to the node implementation.
 */
export function recordingFileSystem(): { fs: IFileSystem; calls: FileSystemCall[] } {
  const calls: FileSystemCall[] = [];
  const watched = (handle: FileSystemHandle, file: string): FileSystemHandle => ({
    ...handle,
    write: async (text) => {
      await handle.write(text);
      calls.push({ call: 'write', file, lines: text.split('\n').length - 1 });
    },
    datasync: async () => {
      await handle.datasync();
      calls.push({ call: 'datasync', file });
    },
    sync: async () => {
      await handle.sync();
      calls.push({ call: 'sync', file });
    },
  });
  const fs: IFileSystem = {
    ...nodeFileSystem,
    open: async (path, flags, mode) => watched(await nodeFileSystem.open(path, flags, mode), basename(path)),
    rename: async (from, to) => {
      await nodeFileSystem.rename(from, to);
      calls.push({ call: 'rename', file: basename(to) });
    },
  };
  return { fs, calls };
}
