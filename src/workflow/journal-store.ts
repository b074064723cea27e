import { promises as fsp } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_WRITE_LOCK_OPTIONS, WriteLock } from '../storage/write-lock';
import { parseJournal, type ParsedJournal } from './journal-entry';
import { WorkflowJournal } from './workflow-journal';

const JOURNAL_SUFFIX = '.jsonl';

/** The journals of a data folder's workflows, in `workflows/`, and the locks that mark a workflow as live. */
export class JournalStore {
  readonly dir: string;

  constructor(dataDir: string) {
    this.dir = join(dataDir, 'workflows');
  }

  /** Path of a workflow's journal. */
  pathOf(id: string): string {
    return join(this.dir, `${id}${JOURNAL_SUFFIX}`);
  }

  /** Creates the folder of journals (and their locks). */
  async ensureDir(): Promise<void> {
    await fsp.mkdir(this.dir, { recursive: true });
  }

  /** Starts the journal of a new workflow. */
  async create(id: string): Promise<WorkflowJournal> {
    await this.ensureDir();
    return WorkflowJournal.open(this.pathOf(id));
  }

  /** Reads a journal; null when there is none. */
  async read(id: string): Promise<ParsedJournal | null> {
    try {
      return parseJournal(await fsp.readFile(this.pathOf(id), 'utf8'));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
  }

  /**
   * Opens an existing journal to continue it. A torn last line (a write cut short by a crash) is cut off first,
   * so the next entry starts on a line of its own.
   */
  async reopen(id: string): Promise<{ journal: WorkflowJournal; parsed: ParsedJournal } | null> {
    const parsed = await this.read(id);
    if (!parsed) return null;
    if (parsed.badLine !== undefined) await fsp.truncate(this.pathOf(id), parsed.goodBytes);
    return { journal: await WorkflowJournal.open(this.pathOf(id), parsed.entries.length), parsed };
  }

  /** Ids of every workflow with a journal. */
  async list(): Promise<string[]> {
    try {
      return (await fsp.readdir(this.dir)).filter((n) => n.endsWith(JOURNAL_SUFFIX)).map((n) => n.slice(0, -JOURNAL_SUFFIX.length));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
  }

  /** Ids of workflows whose live-lock is still on disk: running now, or left behind by a killed process. */
  async listLocked(): Promise<string[]> {
    const names = new Set(await fsp.readdir(this.dir).catch(() => [] as string[]));
    return (await this.list()).filter((id) => names.has(`${id}${JOURNAL_SUFFIX}.lock`));
  }

  /** The lock a workflow holds while it runs; `timeoutMs` 0 means "only if free now". */
  lockFor(id: string, timeoutMs: number): WriteLock {
    return new WriteLock(this.pathOf(id), { timeoutMs, staleMs: DEFAULT_WRITE_LOCK_OPTIONS.staleMs, guards: `workflow ${id}` });
  }
}
