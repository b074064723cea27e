import type { FileSystemHandle, IFileSystem } from '../storage/file-system';
import { entryChecksum, type JournalEntry, type JournalEvent } from './journal-entry';

/**
 * The append-only journal of one workflow, `workflows/<id>.jsonl`. Each entry is one line with a checksum,
 * fsync'd before `append` returns, so what it says happened is on disk before the next step acts on it.
 */
export class WorkflowJournal {
  /** The lines this journal appended, as written: a run that wrote the whole journal reads it back from here. */
  private written = '';

  private constructor(
    private readonly handle: FileSystemHandle,
    private seq: number,
  ) {}

  /** Opens a journal for appending, continuing after `existing` entries. */
  static async open(fs: IFileSystem, path: string, existing = 0): Promise<WorkflowJournal> {
    return new WorkflowJournal(await fs.open(path, 'a', 0o644), existing);
  }

  /** Appends one entry durably and returns it. */
  async append(event: JournalEvent, data: Record<string, unknown>): Promise<JournalEntry> {
    const unsigned = { seq: this.seq + 1, at: new Date().toISOString(), event, data };
    const entry: JournalEntry = { ...unsigned, checksum: entryChecksum(unsigned) };
    const line = `${JSON.stringify(entry)}\n`;
    await this.handle.write(line);
    await this.handle.datasync();
    this.written += line;
    this.seq = entry.seq;
    return entry;
  }

  /** The text of the lines appended through this journal (all of the file, for a journal it started). */
  get writtenText(): string {
    return this.written;
  }

  /** Closes the file. */
  async close(): Promise<void> {
    await this.handle.close();
  }
}
