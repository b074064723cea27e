import type { z } from 'zod';
import { parseJsonSafely } from '../domain/validation/safe-json';
import { confine } from './confined-path';
import { writeFileDurably } from './durable-write';
import type { IFileSystem } from './file-system';
import { readStoredFile } from './stored-file';

/**
 * Previous versions of records, one JSON line each, appended and fsync'd before the version is replaced.
 * Lines that do not parse, carry prototype-pollution keys or fail the schema (a torn last append, a bad hand
 * edit) are skipped. When a record has more than `limit` versions the file is rewritten, atomically, keeping the
 * newest `limit` of each. The file stays inside `dataDir` (a link leading out is FORBIDDEN) and is read only
 * up to MAX_FILE_BYTES.
 */
export class HistoryFile {
  constructor(
    private readonly path: string,
    private readonly schema: z.ZodType,
    private readonly limit: number,
    private readonly dataDir: string,
    private readonly fs: IFileSystem,
  ) {}

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

  /** Appends one version durably, then trims the record's history if it grew past the limit. */
  async append(record: { id: string; version: number }): Promise<void> {
    const handle = await this.fs.open(await confine(this.dataDir, this.path), 'a', 0o644);
    try {
      await handle.write(`${JSON.stringify(record)}\n`);
      await handle.datasync();
    } finally {
      await handle.close();
    }
    const all = await this.readAll();
    const mine = all.filter((r) => r.id === record.id);
    if (mine.length <= this.limit) return;
    const dropped = new Set(mine.slice(0, mine.length - this.limit));
    await writeFileDurably(this.fs, await confine(this.dataDir, this.path), all.filter((r) => !dropped.has(r)).map((r) => `${JSON.stringify(r)}\n`).join(''));
  }
}
