import { join, resolve } from 'node:path';
import { ID_PATTERN, idSchema } from '../domain/ids';
import { parseInput } from '../domain/validation/parse-input';
import { confine } from '../storage/confined-path';
import type { IFileSystem } from '../storage/file-system';
import { readStoredFile } from '../storage/stored-file';
import { DEFAULT_WRITE_LOCK_OPTIONS, WriteLock } from '../storage/write-lock';
import { parseJournal, type ParsedJournal } from './journal-entry';
import { WorkflowJournal } from './workflow-journal';

const JOURNAL_SUFFIX = '.jsonl';

/**
 * The journals of a data folder's workflows, in `workflows/`, and the locks that mark a workflow as live. Every
 * file it touches stays inside the data folder (a link leading out is FORBIDDEN), and a workflow id must be an
 * id (no `/`, no `..`) before it names a file.
 */
export class JournalStore {
  readonly dir: string;
  private readonly dataDir: string;

  constructor(
    dataDir: string,
    private readonly fs: IFileSystem,
  ) {
    this.dataDir = resolve(dataDir);
    this.dir = join(this.dataDir, 'workflows');
  }

  /** Path of a workflow's journal; a VALIDATION_ERROR for anything but an id. */
  pathOf(id: string): string {
    parseInput(idSchema, id, 'workflow id', { service: 'workflow', operation: 'journal' });
    return join(this.dir, `${id}${JOURNAL_SUFFIX}`);
  }

  /** Creates the folder of journals (and their locks). */
  async ensureDir(): Promise<void> {
    await this.fs.mkdir(await confine(this.dataDir, this.dir), { recursive: true });
  }

  /**
   * Starts the journal of a new workflow. Its name is made durable (the folder is synced) before anything is
   * written to it: entries fsync'd into a file whose name a power cut then loses would leave changes nobody undoes.
   */
  async create(id: string): Promise<WorkflowJournal> {
    await this.ensureDir();
    const journal = await WorkflowJournal.open(this.fs, await confine(this.dataDir, this.pathOf(id)));
    try {
      await this.fs.syncFolder(this.dir);
    } catch (error) {
      await journal.close();
      throw error;
    }
    return journal;
  }

  /** Reads a journal; null when there is none. A journal larger than MAX_FILE_BYTES is an INTEGRITY_ERROR. */
  async read(id: string): Promise<ParsedJournal | null> {
    const path = this.pathOf(id);
    const file = await readStoredFile(this.fs, this.dataDir, path);
    return file && parseJournal(file.text, path);
  }

  /**
   * Opens an existing journal to continue it. A torn last line (a write cut short by a crash) is cut off first,
   * so the next entry starts on a line of its own.
   */
  async reopen(id: string): Promise<{ journal: WorkflowJournal; parsed: ParsedJournal } | null> {
    const parsed = await this.read(id);
    if (!parsed) return null;
    const path = await confine(this.dataDir, this.pathOf(id));
    if (parsed.badLine !== undefined) await this.fs.truncate(path, parsed.goodBytes);
    return { journal: await WorkflowJournal.open(this.fs, path, parsed.entries.length), parsed };
  }

  /** Ids of every workflow with a journal (files whose names are not ids are not journals of ours). */
  async list(): Promise<string[]> {
    return (await this.names()).filter((n) => n.endsWith(JOURNAL_SUFFIX)).map((n) => n.slice(0, -JOURNAL_SUFFIX.length)).filter((id) => ID_PATTERN.test(id));
  }

  /** The lock a workflow holds while it runs; `timeoutMs` 0 means "only if free now". */
  lockFor(id: string, timeoutMs: number): WriteLock {
    return new WriteLock(this.pathOf(id), { timeoutMs, staleMs: DEFAULT_WRITE_LOCK_OPTIONS.staleMs, guards: `workflow ${id}`, confineTo: this.dataDir });
  }

  private async names(): Promise<string[]> {
    try {
      return await this.fs.readdir(await confine(this.dataDir, this.dir));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
  }
}
