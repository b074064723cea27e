import { promises as fsp } from 'node:fs';
import { join } from 'node:path';
import { inject, injectable } from 'inversify';
import { IntegrityError } from '../domain/errors/errors';
import { ILogger } from '../logging/logger';
import { StorageOptions } from '../services/file/file-service';
import { guardIo } from '../storage/io-errors';
import { DEFAULT_WRITE_LOCK_OPTIONS, WriteLock } from '../storage/write-lock';
import { verifyAuditChain, type AuditHead, type AuditVerification } from './audit-chain';
import { auditHash, type AuditEntry, type AuditEvent } from './audit-entry';
import type { AuditFilter, IAuditLog } from './audit-log';
import { readAuditTail } from './audit-tail';

/** A reason is a message, not a dump: keep lines short. */
const MAX_REASON = 500;

function matches(entry: AuditEntry, filter: AuditFilter): boolean {
  if (filter.actor !== undefined && entry.actor !== filter.actor) return false;
  if (filter.since !== undefined && Date.parse(entry.at) < Date.parse(filter.since)) return false;
  if (filter.target !== undefined) {
    const target = entry.target ? `${entry.target.kind}:${entry.target.id}` : '';
    if (target !== filter.target && entry.target?.id !== filter.target && entry.workflowId !== filter.target) return false;
  }
  return true;
}

/**
 * The audit log as a JSON-lines file with a hash chain, plus `audit.head.json` saying how many entries were
 * written (so lines cut off the end are noticed). Hand-written: the chain and its checks are the product's
 * own logic; the lock is the same cross-process lock the data folder uses.
 */
@injectable()
export class FileAuditLog implements IAuditLog {
  readonly path: string;
  private readonly headPath: string;
  private readonly lock: WriteLock;

  constructor(
    @inject(StorageOptions) storage: StorageOptions,
    @inject(ILogger) private readonly logger: ILogger,
  ) {
    const logs = join(storage.dataDir, 'logs');
    this.path = join(logs, 'audit.jsonl');
    this.headPath = join(logs, 'audit.head.json');
    this.lock = new WriteLock(this.path, { ...DEFAULT_WRITE_LOCK_OPTIONS, guards: 'the audit log' });
  }

  async append(event: AuditEvent): Promise<AuditEntry> {
    const reason = event.reason !== undefined && event.reason.length > MAX_REASON ? `${event.reason.slice(0, MAX_REASON)}…` : event.reason;
    await guardIo('write', this.path, () => fsp.mkdir(join(this.path, '..'), { recursive: true }));
    return this.lock.run(() =>
      guardIo('write', this.path, async () => {
        const handle = await fsp.open(this.path, 'a+', 0o644);
        try {
          const { size } = await handle.stat();
          const tail = await readAuditTail(handle, size);
          if (tail.goodBytes < size) {
            // A process was killed mid-append: that line was never whole, and the change it announced was not made.
            this.logger.warn({ file: this.path, bytes: size - tail.goodBytes }, `${this.path} ended in a torn line; cut it off`);
            await handle.truncate(tail.goodBytes);
          }
          const unsigned = { seq: tail.seq + 1, at: new Date().toISOString(), ...event, ...(reason === undefined ? {} : { reason }), prev: tail.hash };
          const entry: AuditEntry = { ...unsigned, hash: auditHash(unsigned) };
          await handle.write(`${JSON.stringify(entry)}\n`);
          await handle.datasync();
          await this.writeHead({ entries: entry.seq, hash: entry.hash });
          return entry;
        } finally {
          await handle.close();
        }
      }),
    );
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
    return entries.filter((e) => matches(e, filter));
  }

  async verify(): Promise<AuditVerification> {
    const text = await this.readText();
    let head: AuditHead | null;
    try {
      head = await this.readHead();
    } catch (error) {
      const chain = verifyAuditChain(text, null);
      return chain.ok ? { ok: false, entries: chain.entries, problem: (error as Error).message } : chain;
    }
    return verifyAuditChain(text, head);
  }

  private async readText(): Promise<string> {
    return guardIo('read', this.path, async () => {
      try {
        return await fsp.readFile(this.path, 'utf8');
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return '';
        throw error;
      }
    });
  }

  private async readHead(): Promise<AuditHead | null> {
    let text: string;
    try {
      text = await fsp.readFile(this.headPath, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
    try {
      const head = JSON.parse(text) as Partial<AuditHead>;
      if (typeof head.entries === 'number' && typeof head.hash === 'string') return { entries: head.entries, hash: head.hash };
    } catch {
      // fall through
    }
    throw new IntegrityError(`${this.headPath} cannot be read: the audit log's length cannot be checked`, { context: { service: 'audit', operation: 'verify', file: this.headPath } });
  }

  /**
   * The head only guards against cutting lines off the end, so it is replaced atomically but not fsync'd:
   * after a power cut it may lag behind the log, which verify accepts (it only refuses a log shorter than its head).
   */
  private async writeHead(head: AuditHead): Promise<void> {
    const temp = `${this.headPath}.tmp-${process.pid}`;
    await fsp.writeFile(temp, JSON.stringify(head));
    await fsp.rename(temp, this.headPath);
  }
}
