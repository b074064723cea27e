import type { z } from 'zod';
import { parseJsonSafely } from '../domain/validation/safe-json';
import { confine } from './confined-path';
import { writeFileDurably } from './durable-write';
import type { IFileSystem } from './file-system';
import { appendWhole } from './append-whole';
import { KeptOpenFile } from './kept-open-file';
import { readStoredFile } from './stored-file';
import type { LoggedOp } from './file/folder-log';

/**
 * Previous versions of records, one JSON line each, appended and fsync'd before the version is replaced.
 * Lines that do not parse, carry prototype-pollution keys or fail the schema (a torn last append, a bad hand
 * edit) are skipped. When a record has more than `limit` versions the file is rewritten, atomically, keeping the
 * newest `limit` of each. The file stays inside `dataDir` (a link leading out is FORBIDDEN) and is read only
 * up to MAX_FILE_BYTES.
 */
export class HistoryFile {
  /** Kept open between appends (an update appends one line; opening and closing cost more than that). */
  private readonly file: KeptOpenFile;

  constructor(
    private readonly path: string,
    private readonly schema: z.ZodType,
    private readonly limit: number,
    private readonly dataDir: string,
    private readonly fs: IFileSystem,
  ) {
    this.file = new KeptOpenFile(fs, 'a');
  }

  /** Every kept version, in the order they were appended. */
  async readAll(): Promise<{ id: string; version: number }[]> {
    const file = await readStoredFile(this.fs, this.dataDir, this.path);
    if (!file) return [];
    return file.text.split('\n').flatMap((line) => {
      if (line.trim() === '') return [];
      const json = parseJsonSafely(line);
      const parsed = json.ok ? this.schema.safeParse(json.value) : null;
      return parsed?.success ? [parsed.data as { id: string; version: number }] : [];
    });
  }

  /** The kept versions of one record, oldest first, without duplicates. */
  async of(id: string): Promise<unknown[]> {
    const seen = new Set<number>();
    return (await this.readAll()).filter((r) => r.id === id && !seen.has(r.version) && seen.add(r.version));
  }

  /**
   * Appends one version durably, then trims the record's history if it grew past the limit. Callers serialise
   * appends (the data folder's lock), as the kept-open file needs.
   */
  async append(record: { id: string; version: number }): Promise<void> {
    const path = await confine(this.dataDir, this.path);
    const line = `${JSON.stringify(record)}\n`;
    const { before, after } = await this.file.use(path, async (handle) => {
      const stat = await handle.stat();
      const before = identityOf(stat);
      await appendWhole(handle, line, stat.size, () => handle.datasync());
      return { before, after: identityOf(await handle.stat()) };
    });
    const versions = await this.countAfterAppend(path, record.id, before, after, Buffer.byteLength(line));
    if (versions <= this.limit) return;
    const all = await this.readAll();
    const mine = all.filter((r) => r.id === record.id);
    const dropped = new Set(mine.slice(0, mine.length - this.limit));
    counted.delete(path); // rewritten: counted afresh on the next append
    await writeFileDurably(this.fs, path, all.filter((r) => !dropped.has(r)).map((r) => `${JSON.stringify(r)}\n`).join(''));
  }

  /**
   * Stages versions to append (as append does, trimming what grows past the limit) as an op for the folder log:
   * an append, or the whole file when a record's versions must be trimmed. Callers hold the data folder's lock.
   */
  async stage(records: readonly { id: string; version: number }[], relative: (path: string) => string): Promise<{ ops: LoggedOp[]; settle(): Promise<void> }> {
    const path = await confine(this.dataDir, this.path);
    const lines = records.map((record) => `${JSON.stringify(record)}\n`).join('');
    const stat = await this.fs.statIfExists(path);
    const before = stat ? identityOf(stat) : { ino: -1, size: 0, mtimeMs: 0 };
    let kept = counted.get(path);
    if (!kept || !sameFile(kept.file, before)) {
      const perRecord = new Map<string, number>();
      for (const r of await this.readAll()) perRecord.set(r.id, (perRecord.get(r.id) ?? 0) + 1);
      kept = { file: before, perRecord };
    }
    const perRecord = new Map(kept.perRecord);
    for (const { id } of records) perRecord.set(id, (perRecord.get(id) ?? 0) + 1);
    const over = [...perRecord.values()].some((versions) => versions > this.limit);
    let op: LoggedOp;
    if (over) {
      const all = [...(await this.readAll()), ...records];
      const seen = new Map<string, number>();
      const total = new Map<string, number>();
      for (const r of all) total.set(r.id, (total.get(r.id) ?? 0) + 1);
      const trimmed = all.filter((r) => {
        const index = (seen.get(r.id) ?? 0) + 1;
        seen.set(r.id, index);
        return index > (total.get(r.id) ?? 0) - this.limit;
      });
      op = { put: relative(this.path), text: trimmed.map((r) => `${JSON.stringify(r)}\n`).join('') };
      for (const [id, versions] of total) perRecord.set(id, Math.min(versions, this.limit));
    } else {
      op = { append: relative(this.path), at: before.size, text: lines };
    }
    return {
      ops: [op],
      settle: async () => {
        // The kept-open file may name the file a trim replaced: closed, it is reopened at the path on the next use.
        if (over) await this.file.close();
        counted.set(path, { file: identityOf(await this.fs.stat(path)), perRecord });
      },
    };
  }

  /**
   * How many versions of `id` the file holds after an append. Counted once from the whole file, then kept up to date
   * by each append, as long as the file is exactly as the last append here left it (same file, size and time) and
   * only this append changed it since: otherwise (another process wrote, a hand edit) it is counted again. Reading
   * and checking the whole history on every update made an update's cost grow with every update before it.
   */
  private async countAfterAppend(path: string, id: string, before: FileIdentity, after: FileIdentity, appended: number): Promise<number> {
    const kept = counted.get(path);
    if (kept && sameFile(kept.file, before) && after.ino === before.ino && after.size === before.size + appended) {
      const versions = (kept.perRecord.get(id) ?? 0) + 1;
      kept.perRecord.set(id, versions);
      kept.file = after;
      return versions;
    }
    const perRecord = new Map<string, number>();
    for (const r of await this.readAll()) perRecord.set(r.id, (perRecord.get(r.id) ?? 0) + 1);
    counted.set(path, { file: after, perRecord });
    return perRecord.get(id) ?? 0;
  }
}

/** What tells one state of a history file from another without reading it. */
interface FileIdentity {
  ino: number;
  size: number;
  mtimeMs: number;
}

function identityOf({ ino, size, mtimeMs }: FileIdentity): FileIdentity {
  return { ino, size, mtimeMs };
}

function sameFile(a: FileIdentity, b: FileIdentity): boolean {
  return a.ino === b.ino && a.size === b.size && a.mtimeMs === b.mtimeMs;
}

/** Versions per record of each history file, as of the file state recorded with them (see countAfterAppend). */
const counted = new Map<string, { file: FileIdentity; perRecord: Map<string, number> }>();
