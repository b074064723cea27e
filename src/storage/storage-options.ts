import type { IFileSystem } from './file-system';

/** Settings of the storage of one data folder. */
export interface StorageOptions {
  dataDir: string;
  lockTimeoutMs?: number;
  staleLockMs?: number;
  /**
   * A collection file at least this large (bytes; 0 unless said: every file) takes each change as an append to its
   * change log, `<name>.changes.jsonl`, and is written whole again every 64 changes, after a second without changes
   * and at close() or a command's end; Infinity writes every change whole.
   */
  appendAboveBytes?: number;
  /**
   * A collection file at least this large (bytes; 256 KiB unless said) is sealed when written whole, and read back
   * without checking every record again while its seal holds (see CollectionSeal).
   */
  sealAboveBytes?: number;
  /**
   * Once no change has been logged for this long (ms; 1,000 unless said), the change logs are compacted into their
   * files in the background (see IFileService.compact). Infinity: only when compact() is called or 64 changes
   * have been logged.
   */
  compactAfterIdleMs?: number;
  /** The file system storage goes through: the real one unless a test or a simulation gives another. */
  fileSystem?: IFileSystem;
}

/** Injection token for the storage settings. */
export const StorageOptions = Symbol.for('agentcfg.StorageOptions');
