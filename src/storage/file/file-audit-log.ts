import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { inject, injectable } from 'inversify';
import { IntegrityError } from '../../domain/errors/errors';
import { ILogger } from '../../logging/logger';
import { StorageOptions } from '../storage-options';
import { ensureWritable, guardIo } from '../io-errors';
import { DEFAULT_WRITE_LOCK_OPTIONS, WriteLock } from '../write-lock';
import { chainAfter, verifyAuditChain, type AuditHead, type AuditVerification, type StampedEvent } from '../../audit/audit-chain';
import { shortened, type AuditEntry, type AuditEvent } from '../../audit/audit-entry';
import { matchesAuditFilter } from '../../audit/audit-filter';
import type { AuditFilter, IAuditLog } from '../../audit/audit-log';
import { readAuditTail, type AuditTail } from './audit-tail';
import { confine } from '../confined-path';
import { IFileSystem, type FileSystemHandle } from '../file-system';
import { KeptOpenFile } from '../kept-open-file';
import { appendWhole } from '../append-whole';
import { MAX_FILE_BYTES, readAtMost } from '../stored-file';
import type { LoggedOp } from './folder-log';
import { openFileWorkflows } from './file-workflow-transaction';

/** Width the head is padded to (JSON allows the trailing spaces); its fields take about 130 characters. */
const HEAD_WIDTH = 192;

/** Ties a head's two fields together, so a torn or mixed head is not taken for a real one. */
function headCheck(entries: number, hash: string): string {
  return createHash('sha256').update(`${entries}:${hash}`).digest('hex').slice(0, 16);
}

/**
 * The audit log as a JSON-lines file with a hash chain, plus `audit.head.json` saying how many entries were
 * written (so lines cut off the end are noticed). Hand-written: the chain and its checks are the product's
 * own logic; the lock is the same cross-process lock the data folder uses.
 */
@injectable()
export class FileAuditLog implements IAuditLog {
  readonly path: string;
  private readonly dataDir: string;
  private readonly headPath: string;
  private readonly lock: WriteLock;
  /** The log stays open between appends (a workflow makes a dozen in a row); only appends, under the lock, use it. */
  private readonly file: KeptOpenFile;
  /** Transitions waiting for the next durable append (see defer). */
  private readonly held: StampedEvent[] = [];

  constructor(
    @inject(StorageOptions) storage: StorageOptions,
    @inject(ILogger) private readonly logger: ILogger,
    @inject(IFileSystem) private readonly fs: IFileSystem,
  ) {
    this.dataDir = storage.dataDir;
    const logs = join(storage.dataDir, 'logs');
    this.path = join(logs, 'audit.jsonl');
    this.headPath = join(logs, 'audit.head.json');
    this.file = new KeptOpenFile(fs, 'a+');
    this.lock = new WriteLock(this.path, { ...DEFAULT_WRITE_LOCK_OPTIONS, guards: 'the audit log', confineTo: storage.dataDir });
  }

  /**
   * Holds a workflow transition, stamped now, to be written ahead of this log's next durable append; one of a
   * workflow run in one transaction is held by it, and stored with it.
   */
  defer(event: AuditEvent): void {
    const workflow = event.workflowId === undefined ? undefined : openFileWorkflows.get(event.workflowId);
    if (workflow) workflow.holdAudit([event]);
    else this.held.push({ at: new Date().toISOString(), event: shortened(event) });
  }

  async append(event: AuditEvent): Promise<void> {
    const workflow = event.workflowId === undefined ? undefined : openFileWorkflows.get(event.workflowId);
    if (workflow) workflow.holdAudit([event]);
    else await this.appendEntry(event);
  }

  /** As append, handing back the entry as written. */
  async appendEntry(event: AuditEvent): Promise<AuditEntry> {
    const entry = await this.writeHeldAnd({ at: new Date().toISOString(), event: shortened(event) });
    return entry as AuditEntry;
  }

  async flush(): Promise<void> {
    if (this.held.length > 0) await this.writeHeldAnd();
  }

  /**
   * Writes the held transitions and `last` (if any) after the chain's end, in one write made durable by one
   * fdatasync, under the cross-process lock; returns the last entry written. Transitions taken from the queue go
   * back to it if nothing could be written (the lock was busy, the log could not be opened).
   */
  private async writeHeldAnd(last?: StampedEvent): Promise<AuditEntry | undefined> {
    await ensureWritable(this.fs, this.dataDir);
    await guardIo('write', this.path, async () => this.fs.mkdir(await confine(this.dataDir, join(this.path, '..')), { recursive: true }));
    return this.lock.run(() =>
      guardIo('write', this.path, async () => {
        const batch = this.held.splice(0);
        let writing = false;
        try {
          return await this.file.use(await confine(this.dataDir, this.path), async (handle) => {
            const tail = await this.settledTail(handle);
            const tampering = (await this.tamperingAt(tail)).map((event) => ({ at: new Date().toISOString(), event }));
            writing = true;
            const written = await this.write(handle, tail, [...tampering, ...batch, ...(last ? [last] : [])]);
            if (written) await this.writeHead({ entries: written.seq, hash: written.hash });
            return written;
          });
        } catch (error) {
          if (!writing) this.held.unshift(...batch);
          throw error;
        }
      }),
    );
  }

  /**
   * Chains the held transitions and `events` after the log's end as ops for the folder log, under the audit log's
   * lock, and runs `work` with them while the lock is held (it makes them, with the change they audit, in one
   * durable commit); then writes the head. Returns the entries of `events`. Held transitions go back to the queue if
   * `work` fails before anything was written.
   */
  async stage(events: readonly StampedEvent[], relative: (path: string) => string, work: (ops: LoggedOp[]) => Promise<void>): Promise<AuditEntry[]> {
    await ensureWritable(this.fs, this.dataDir);
    await guardIo('write', this.path, async () => this.fs.mkdir(await confine(this.dataDir, join(this.path, '..')), { recursive: true }));
    return this.lock.run(async () => {
      const batch = this.held.splice(0);
      let staged: { tail: AuditTail; entries: AuditEntry[] };
      try {
        staged = await guardIo('write', this.path, async () =>
          this.file.use(await confine(this.dataDir, this.path), async (handle) => {
            const tail = await this.settledTail(handle);
            const tampering = (await this.tamperingAt(tail)).map((event) => ({ at: new Date().toISOString(), event }));
            return { tail, entries: chainAfter(tail, [...tampering, ...batch, ...events]) };
          }),
        );
      } catch (error) {
        this.held.unshift(...batch);
        throw error;
      }
      const { tail, entries } = staged;
      const text = entries.map((entry) => `${JSON.stringify(entry)}\n`).join('');
      await work(entries.length === 0 ? [] : [{ append: relative(this.path), at: tail.goodBytes, text }]);
      const last = entries.at(-1);
      if (last) await guardIo('write', this.headPath, () => this.writeHead({ entries: last.seq, hash: last.hash }));
      return entries.slice(entries.length - events.length);
    });
  }

  /** Appends entries after `tail` with one write and one fdatasync; returns the last one written. */
  private async write(handle: FileSystemHandle, tail: AuditTail, events: readonly StampedEvent[]): Promise<AuditEntry | undefined> {
    const entries = chainAfter(tail, events);
    if (entries.length === 0) return undefined;
    const lines = entries.map((entry) => `${JSON.stringify(entry)}\n`).join('');
    await appendWhole(handle, lines, tail.goodBytes, () => handle.datasync());
    return entries.at(-1);
  }

  /**
   * The end of the chain, once a line left without its line end is dealt with. The head is written only after
   * a line is on disk, so a torn line the head does not count is a crash's leftover (its change was never made)
   * and is cut off; one the head counts was a whole entry someone cut short, and is kept as evidence.
   */
  private async settledTail(handle: FileSystemHandle): Promise<AuditTail> {
    const { size } = await handle.stat();
    const tail = await readAuditTail(handle, size);
    if (tail.goodBytes === size) return tail;
    const head = await this.readHead();
    if (head && head.entries > tail.seq) {
      await handle.write('\n');
      return readAuditTail(handle, size + 1);
    }
    this.logger.warn({ file: this.path, bytes: size - tail.goodBytes }, `${this.path} ended in a torn line; cut it off`);
    await handle.truncate(tail.goodBytes);
    return tail;
  }

  /**
   * Entries that record tampering found at the end of the log before this append: lines cut off (fewer than the
   * head counted) or a last line replaced (its hash is not the head's). Writing on without them would let the
   * new head hide the evidence; `verify` reports the line each names.
   */
  private async tamperingAt(tail: AuditTail): Promise<AuditEvent[]> {
    const head = await this.readHead();
    if (!head) return [];
    const tampered = (line: number, reason: string): AuditEvent[] => {
      this.logger.error({ file: this.path, line }, `${this.path}: ${reason}`);
      return [{ actor: 'system', role: null, requestId: null, action: 'audit.tampered', outcome: 'failed', tamperedLine: line, reason }];
    };
    if (head.entries > tail.seq) return tampered(tail.seq + 1, `entries ${tail.seq + 1} to ${head.entries} were cut off the end of the log`);
    if (head.entries === tail.seq && head.hash !== tail.hash) return tampered(tail.seq, `entry ${tail.seq} is not the entry that was written there`);
    return [];
  }

  async list(filter: AuditFilter = {}): Promise<AuditEntry[]> {
    const text = await this.readText();
    const entries: AuditEntry[] = [];
    for (const line of text.split('\n')) {
      if (line === '') continue;
      try {
        entries.push(JSON.parse(line) as AuditEntry);
      } catch {
        // verify reports unreadable lines; listing shows what can be read
      }
    }
    return entries.filter((e) => matchesAuditFilter(e, filter));
  }

  async verify(): Promise<AuditVerification> {
    const text = await this.readText();
    return verifyAuditChain(text, await this.readHead());
  }

  private async readText(): Promise<string> {
    return guardIo('read', this.path, async () => {
      try {
        const handle = await this.fs.open(await confine(this.dataDir, this.path), 'r');
        try {
          const text = await readAtMost(handle);
          if (text === null) throw new IntegrityError(`${this.path} is larger than the ${MAX_FILE_BYTES} bytes agentcfg reads; archive it and start a new log`, { context: { service: 'audit', operation: 'read', file: this.path } });
          return text;
        } finally {
          await handle.close();
        }
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return '';
        throw error;
      }
    });
  }

  /**
   * The head, or null when it is absent or unreadable. It is overwritten in place without an fsync, so a power cut
   * can leave it empty, half written or mixed with the head before; its check then fails and it counts as absent
   * (as deleting it would), and the next append rewrites it.
   */
  private async readHead(): Promise<AuditHead | null> {
    let text: string;
    try {
      text = await this.fs.readFile(await confine(this.dataDir, this.headPath), 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
    try {
      const head = JSON.parse(text) as Partial<AuditHead> & { check?: unknown };
      if (typeof head.entries === 'number' && typeof head.hash === 'string' && head.check === headCheck(head.entries, head.hash)) {
        return { entries: head.entries, hash: head.hash };
      }
    } catch {
      // fall through
    }
    this.logger.warn({ file: this.headPath }, `${this.headPath} cannot be read (a power cut can leave it so); the log's length is not checked until the next append rewrites it`);
    return null;
  }

  /**
   * The head only guards against cutting lines off the end, so it is overwritten in place, not replaced and not
   * fsync'd (a replace costs a flush, and ten of them a workflow): after a power cut it may lag behind the log,
   * which verify accepts (it only refuses a log shorter than its head), or be torn, which its check reveals.
   * Padded to a fixed width so a torn write cannot leave a shorter, well-formed head.
   */
  private async writeHead(head: AuditHead): Promise<void> {
    const text = JSON.stringify({ ...head, check: headCheck(head.entries, head.hash) }).padEnd(HEAD_WIDTH);
    await this.fs.overwrite(await confine(this.dataDir, this.headPath), text);
  }
}
