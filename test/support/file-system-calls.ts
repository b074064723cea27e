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

const COLLECTIONS = new Set(['personalities.json', 'roles.json', 'agents.json', 'connections.json']);

/** The collection a call changes (its file replaced, or a line written to its change log), if any. */
function collectionOf(call: FileSystemCall): string | undefined {
  if (call.call === 'rename' && COLLECTIONS.has(call.file)) return call.file;
  const logged = call.file.replace(/\.changes\.jsonl$/, '.json');
  return call.call === 'write' && logged !== call.file && COLLECTIONS.has(logged) ? logged : undefined;
}

/** Where `calls` change a collection file (by its name), however the store changes it. */
export function collectionChanges(calls: readonly FileSystemCall[]): { collection: string; at: number }[] {
  return calls.flatMap((c, at) => {
    const collection = collectionOf(c);
    return collection ? [{ collection, at }] : [];
  });
}
