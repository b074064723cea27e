import { join, resolve } from 'node:path';
import { ID_PATTERN, idSchema } from '../../domain/ids';
import { parseInput } from '../../domain/validation/parse-input';
import { confine } from '../confined-path';
import type { IFileSystem } from '../file-system';
import { readStoredFile } from '../stored-file';
import { ensureWritable } from '../io-errors';
import { DEFAULT_WRITE_LOCK_OPTIONS, WriteLock } from '../write-lock';
import { parseJournal, type ParsedJournal } from '../../domain/workflow/journal-entry';
import { WorkflowJournal } from './workflow-journal';

const JOURNAL_SUFFIX = '.jsonl';
/** Beside the journal of a workflow that has not ended: start-up recovery reads only these journals. */
const ACTIVE_SUFFIX = '.active';

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

  /** Creates the folder of journals (and their locks); STORAGE_UNAVAILABLE, before anything is written, where it cannot. */
  async ensureDir(): Promise<void> {
    await ensureWritable(this.fs, this.dataDir);
    await this.fs.mkdir(await confine(this.dataDir, this.dir), { recursive: true });
  }

  /**
   * Starts the journal of a new workflow, and its `.active` marker. Both names are made durable (the folder is
   * synced) before anything is written: entries fsync'd into a file whose name a power cut then loses would leave
   * changes nobody undoes, and the marker is how start-up recovery finds the workflow without reading every
   * journal there is.
   */
  async create(id: string): Promise<WorkflowJournal> {
    await this.ensureDir();
    const path = await confine(this.dataDir, this.pathOf(id));
    const journal = await WorkflowJournal.open(this.fs, path);
    try {
      await this.fs.writeFile(await confine(this.dataDir, this.activePathOf(id)), '');
      await this.fs.syncFolder(this.dir);
    } catch (error) {
      // Nothing was journaled yet: an empty journal or a marker left behind would only confuse list and recovery.
      await journal.close();
      await this.fs.rm(path, { force: true }).catch(() => undefined);
      await this.fs.rm(this.activePathOf(id), { force: true }).catch(() => undefined);
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
    return idsEndingIn(await this.names(), JOURNAL_SUFFIX);
  }

  /**
   * Ids of workflows that may not have ended: those with an `.active` marker, and those whose live-lock is on
   * disk (running now, or left by a killed process). A marker that outlived its workflow only costs a read.
   */
  async listUnended(): Promise<string[]> {
    const names = await this.names();
    const present = new Set(names);
    const locked = idsEndingIn(names, JOURNAL_SUFFIX).filter((id) => present.has(`${id}${JOURNAL_SUFFIX}.lock`));
    return [...new Set([...idsEndingIn(names, ACTIVE_SUFFIX), ...locked])];
  }

  /** Removes the marker of a workflow that has ended (nothing to make durable: a marker left behind is harmless). */
  async markEnded(id: string): Promise<void> {
    await this.fs.rm(await confine(this.dataDir, this.activePathOf(id)), { force: true });
  }

  private activePathOf(id: string): string {
    return join(this.dir, `${id}${ACTIVE_SUFFIX}`);
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

function idsEndingIn(names: readonly string[], suffix: string): string[] {
  return names.filter((n) => n.endsWith(suffix)).map((n) => n.slice(0, -suffix.length)).filter((id) => ID_PATTERN.test(id));
}
