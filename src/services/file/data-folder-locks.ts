import { join, resolve } from 'node:path';
import { inject, injectable } from 'inversify';
import { ILogger } from '../../logging/logger';
import { DEFAULT_WRITE_LOCK_OPTIONS, WriteLock } from '../../storage/write-lock';
import { StorageOptions } from './file-service';

/**
 * The cross-process locks of one data folder, shared by the components that write it: the file service's
 * transactions, the audit log's appends, and a workflow that keeps both for all of its steps. The locks are the
 * process's own (WriteLock.sharedFor), so every container of the process writing the folder shares them too.
 */
@injectable()
export class DataFolderLocks {
  /** Guards the collection files and their histories (`config.lock`). */
  readonly collections: WriteLock;
  /** Guards the audit log's hash chain (`logs/audit.jsonl.lock`). */
  readonly audit: WriteLock;

  constructor(@inject(StorageOptions) options: StorageOptions, @inject(ILogger) logger: ILogger) {
    const dataDir = resolve(options.dataDir);
    this.collections = WriteLock.sharedFor(
      join(dataDir, 'config'),
      {
        timeoutMs: options.lockTimeoutMs ?? DEFAULT_WRITE_LOCK_OPTIONS.timeoutMs,
        staleMs: options.staleLockMs ?? DEFAULT_WRITE_LOCK_OPTIONS.staleMs,
        confineTo: dataDir,
      },
      (error) => logger.error({ err: error }, 'the data folder lock was compromised'),
    );
    this.audit = WriteLock.sharedFor(join(options.dataDir, 'logs', 'audit.jsonl'), { ...DEFAULT_WRITE_LOCK_OPTIONS, guards: 'the audit log', confineTo: options.dataDir });
  }

  /**
   * Runs `work` while this process keeps both locks, taken in the order every writer takes them (collections,
   * then audit): the transactions and audit appends inside then take only their in-process turn. Other
   * processes' writes wait until `work` ends.
   */
  keepAll<T>(work: () => Promise<T>): Promise<T> {
    return this.collections.keep(() => this.audit.keep(work));
  }
}
