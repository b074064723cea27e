import type { FileSystemHandle, IFileSystem } from '../storage/file-system';
import { entryChecksum, type JournalEntry, type JournalEvent } from './journal-entry';

/**
 * The append-only journal of one workflow, `workflows/<id>.jsonl`. Each entry is one line with a checksum,
 * fsync'd before `append` returns, so what it says happened is on disk before the next step acts on it.
 */
export class WorkflowJournal {
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
    await this.handle.write(`${JSON.stringify(entry)}\n`);
    await this.handle.datasync();
    this.seq = entry.seq;
    return entry;
  }

  /** Closes the file. */
  async close(): Promise<void> {
    await this.handle.close();
  }
}
