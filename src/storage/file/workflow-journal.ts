import { WorkflowStatus } from '../../domain/workflow/workflow-definition';
import type { FileSystemHandle, IFileSystem } from '../file-system';
import { entryChecksum, type JournalEntry, type JournalEvent } from '../../domain/workflow/journal-entry';
import { appendWhole } from '../append-whole';

/**
 * Entries that may wait for the next entry's fdatasync: the workflow changes nothing between them and that entry,
 * which must be durable before the next change (a step's intent, compensating) or before the run returns (the
 * status it ends in). One fdatasync covers every line before it, so a power cut loses at most entries that no
 * change depended on, exactly as a cut just before they were written would.
 */
function mayWaitForNextSync(event: JournalEvent, data: Record<string, unknown>): boolean {
  return event === 'workflow.started' || event === 'step.completed' || (event === 'workflow.status' && data.status === WorkflowStatus.RUNNING);
}

/**
 * The append-only journal of one workflow, `workflows/<id>.jsonl`. Each entry is one line with a checksum, written
 * before `append` returns; it is fdatasync'd then too unless the next entry's sync may cover it (see
 * mayWaitForNextSync), so what the journal says happened is on disk before the workflow acts on it.
 */
export class WorkflowJournal {
  /** The entries this journal appended, as written: a run that wrote the whole journal reads it back from here. */
  private readonly written: JournalEntry[] = [];
  /** Lines written, and how many of them the last fdatasync covered. */
  private linesWritten = 0;
  private linesSynced = 0;

  private constructor(
    private readonly handle: FileSystemHandle,
    private seq: number,
    /** The file's size: where a failed append is cut back to. */
    private size: number,
  ) {}

  /** Opens a journal for appending, continuing after `existing` entries. */
  static async open(fs: IFileSystem, path: string, existing = 0): Promise<WorkflowJournal> {
    const handle = await fs.open(path, 'a', 0o644);
    try {
      return new WorkflowJournal(handle, existing, (await handle.stat()).size);
    } catch (error) {
      await handle.close();
      throw error;
    }
  }

  /** Appends one entry, durably unless it may wait for the next one's sync, and returns it. */
  async append(event: JournalEvent, data: Record<string, unknown>): Promise<JournalEntry> {
    const unsigned = { seq: this.seq + 1, at: new Date().toISOString(), event, data };
    const entry: JournalEntry = { ...unsigned, checksum: entryChecksum(unsigned) };
    const line = `${JSON.stringify(entry)}\n`;
    const syncNow = !mayWaitForNextSync(event, data);
    // A line whose write or sync failed is cut off again: the next entry takes its place and its number.
    await appendWhole(this.handle, line, this.size, () => (syncNow ? this.handle.datasync() : Promise.resolve()));
    this.size += Buffer.byteLength(line);
    this.linesWritten++;
    if (syncNow) this.linesSynced = this.linesWritten;
    // Parsed back from the line, so later changes to the objects handed in cannot change what the journal says.
    this.written.push(JSON.parse(line) as JournalEntry);
    this.seq = entry.seq;
    return entry;
  }

  /**
   * The entries appended through this journal (all of the file, for a journal it started). Their checksums are not
   * checked again: they are the lines this process wrote, not ones read from disk.
   */
  get writtenEntries(): readonly JournalEntry[] {
    return this.written;
  }

  /** Makes every line written so far durable, then closes the file. */
  async close(): Promise<void> {
    try {
      await this.sync();
    } finally {
      await this.handle.close();
    }
  }

  private async sync(): Promise<void> {
    const covered = this.linesWritten;
    if (covered === this.linesSynced) return;
    await this.handle.datasync();
    this.linesSynced = Math.max(this.linesSynced, covered);
  }
}
