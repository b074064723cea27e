import { dirname } from 'node:path';
import { encodeChangeLine, parseChangeLog, type ChangeLine } from './change-log';
import type { CollectionSpec } from './collection-specs';
import { confine } from './confined-path';
import type { IFileSystem } from './file-system';
import { appendWhole } from './append-whole';
import { writeFileDurably } from './durable-write';
import { readStoredFile } from './stored-file';

/** A change log as last seen: which file (inode), how long, how much of it is whole lines, how many. */
export interface ChangeLogState {
  ino: number;
  size: number;
  goodBytes: number;
  lines: number;
}

/** Whether the log on disk is still the one `state` describes (null: there was none). */
export function sameLog(state: ChangeLogState | null, seen: { ino: number; size: number } | null): boolean {
  if (state === null || seen === null) return state === seen;
  return state.ino === seen.ino && state.size === seen.size;
}

/**
 * The change log of one collection file, `<name>.changes.jsonl` beside it: the changes made since the file was
 * last written whole, one checksummed line each, fdatasync'd before the change is acknowledged. Every path stays
 * inside the data folder.
 */
export class ChangeLogFile {
  constructor(
    private readonly fs: IFileSystem,
    private readonly dataDir: string,
    readonly path: string,
    private readonly spec: CollectionSpec,
  ) {}

  /** The log's inode and size now, or null when there is none. */
  async identity(): Promise<{ ino: number; size: number } | null> {
    const stat = await this.fs.statIfExists(await confine(this.dataDir, this.path));
    return stat && { ino: stat.ino, size: stat.size };
  }

  /** The log's lines and state; null when there is none. A damaged line is an IntegrityError (see parseChangeLog). */
  async read(): Promise<{ state: ChangeLogState; lines: ChangeLine[] } | null> {
    const file = await readStoredFile(this.fs, this.dataDir, this.path);
    if (!file) return null;
    const { lines, goodBytes } = parseChangeLog(file.text, this.spec, this.path);
    return { state: { ino: file.stat.ino, size: file.stat.size, goodBytes, lines: lines.length }, lines };
  }

  /**
   * Appends `line` with one write and one fdatasync, after cutting off a torn last line (`state` says where the
   * whole lines end). A log made by this append has its name made durable too, so a power cut cannot lose it.
   */
  async append(line: ChangeLine, state: ChangeLogState | null): Promise<ChangeLogState> {
    const handle = await this.fs.open(await confine(this.dataDir, this.path), 'a', 0o644);
    let stat;
    try {
      if (state && state.size > state.goodBytes) await handle.truncate(state.goodBytes);
      await appendWhole(handle, encodeChangeLine(line), state?.goodBytes ?? (await handle.stat()).size, () => handle.datasync());
      stat = await handle.stat();
    } finally {
      await handle.close();
    }
    if (!state) await this.fs.syncFolder(dirname(this.path));
    return { ino: stat.ino, size: stat.size, goodBytes: stat.size, lines: (state?.lines ?? 0) + 1 };
  }

  /** Removes the log once the file holds its changes (no sync: a log that survives a cut holds only older revisions). */
  async remove(): Promise<void> {
    await this.fs.rm(await confine(this.dataDir, this.path), { force: true });
  }

  /**
   * Keeps only the lines after `revision` (the file now holds the rest): the log replaced durably by those lines,
   * or removed when there are none. Returns the state of what is left, null for nothing.
   */
  async keepAfter(revision: number): Promise<ChangeLogState | null> {
    const read = await this.read();
    const tail = read?.lines.filter((line) => line.revision > revision) ?? [];
    if (tail.length === 0) {
      await this.remove();
      return null;
    }
    const path = await confine(this.dataDir, this.path);
    await writeFileDurably(this.fs, path, tail.map(encodeChangeLine).join(''));
    const stat = await this.fs.stat(path);
    return { ino: stat.ino, size: stat.size, goodBytes: stat.size, lines: tail.length };
  }

  /** Renames the log to `<log>.<label>-<time>`, keeping changes that no longer apply as evidence; returns where it went. */
  async moveAside(label: string): Promise<string> {
    const aside = `${this.path}.${label}-${new Date().toISOString().replace(/[:.]/g, '-')}`;
    await this.fs.rename(await confine(this.dataDir, this.path), await confine(this.dataDir, aside));
    return aside;
  }
}
