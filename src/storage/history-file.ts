import { promises as fsp } from 'node:fs';
import type { z } from 'zod';
import { writeFileDurably } from './durable-write';

/**
 * Previous versions of records, one JSON line each, appended and fsync'd before the version is replaced.
 * Lines that do not parse or fail the schema (a torn last append) are skipped. When a record has more than
 * `limit` versions the file is rewritten, atomically, keeping the newest `limit` of each.
 */
export class HistoryFile {
  constructor(
    private readonly path: string,
    private readonly schema: z.ZodType,
    private readonly limit: number,
  ) {}

  /** Every kept version, in the order they were appended. */
  async readAll(): Promise<{ id: string; version: number }[]> {
    let text: string;
    try {
      text = await fsp.readFile(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    return text.split('\n').flatMap((line) => {
      if (line.trim() === '') return [];
      try {
        const parsed = this.schema.safeParse(JSON.parse(line));
        return parsed.success ? [parsed.data as { id: string; version: number }] : [];
      } catch {
        return [];
      }
    });
  }

  /** The kept versions of one record, oldest first, without duplicates. */
  async of(id: string): Promise<unknown[]> {
    const seen = new Set<number>();
    return (await this.readAll()).filter((r) => r.id === id && !seen.has(r.version) && seen.add(r.version));
  }

  /** Appends one version durably, then trims the record's history if it grew past the limit. */
  async append(record: { id: string; version: number }): Promise<void> {
    const handle = await fsp.open(this.path, 'a', 0o644);
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
    await writeFileDurably(this.path, all.filter((r) => !dropped.has(r)).map((r) => `${JSON.stringify(r)}\n`).join(''));
  }
}
