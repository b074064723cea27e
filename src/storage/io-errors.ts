import { AgentcfgError, isAgentcfgError } from '../domain/errors/agentcfg-error';
import { ErrorCode } from '../domain/errors/error-code';
import { StorageUnavailableError } from '../domain/errors/errors';
import type { IFileSystem } from './file-system';

/** File-system error codes that mean "busy for now": worth trying again. */
const TRANSIENT_ERRNOS: ReadonlySet<string> = new Set(['EBUSY', 'EAGAIN', 'ETIMEDOUT', 'EINTR']);

/** Faults of the environment a storage call can meet: what each means in plain words, and what to do about it. */
const ENVIRONMENT_FAULTS: Readonly<Record<string, { cause: string; remedy: string }>> = {
  ENOSPC: { cause: 'the disk is full', remedy: 'free some space and try again' },
  EDQUOT: { cause: 'the disk quota is used up', remedy: 'free some space or raise the quota, then try again' },
  EROFS: { cause: 'the file system is read-only', remedy: 'reads work; to change records, use a writable data folder' },
  EACCES: { cause: 'permission was denied', remedy: "check the data folder's owner and permissions" },
  EPERM: { cause: 'the operation is not permitted', remedy: "check the data folder's owner, permissions and attributes" },
  EMFILE: { cause: 'this process has too many files open', remedy: 'try again, or raise the open-file limit (ulimit -n)' },
  ENFILE: { cause: 'the system has too many files open', remedy: 'try again once other programs have closed files' },
  EIO: { cause: 'the device reported an I/O error', remedy: 'check the disk and its connection; the data folder may need verify' },
};

/** Environment faults that can pass by themselves: retried by the resilience policies. */
const PASSING_FAULTS: ReadonlySet<string> = new Set(['EMFILE', 'ENFILE']);

function errnoOf(error: unknown): string | undefined {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** The raw file-system error behind `error` (itself or along its cause chain) when it is a fault of the environment. */
export function environmentFaultOf(error: unknown): NodeJS.ErrnoException | null {
  for (let e = error, depth = 0; e !== undefined && e !== null && depth < 10; e = (e as Error).cause, depth++) {
    if (isAgentcfgError(e)) continue;
    const errno = errnoOf(e);
    if (errno !== undefined && errno in ENVIRONMENT_FAULTS) return e as NodeJS.ErrnoException;
  }
  return null;
}

/**
 * Whether a STORAGE_UNAVAILABLE error may pass if tried again: too many open files, met before anything was
 * written (a write that failed part way may be in place, and trying it again blindly could make it twice).
 */
export function isPassingFault(error: AgentcfgError): boolean {
  return error.code === ErrorCode.STORAGE_UNAVAILABLE && PASSING_FAULTS.has(String(error.context.errno)) && error.context.changed === false;
}

/**
 * The typed error for a fault of the environment: names the cause in plain words, the file, and what to do;
 * says "nothing was changed" when `changed` is false (known to have failed before anything was written).
 */
export function storageUnavailable(errno: string, operation: string, file: string, options: { changed?: boolean; cause?: unknown } = {}): StorageUnavailableError {
  const fault = ENVIRONMENT_FAULTS[errno] ?? { cause: `the file system failed (${errno})`, remedy: 'check the disk' };
  const nothing = options.changed === false ? '; nothing was changed' : '';
  return new StorageUnavailableError(`cannot ${operation} ${file}: ${fault.cause} (${errno})${nothing}; ${fault.remedy}`, {
    context: { service: 'file', operation, file, errno, ...(options.changed === undefined ? {} : { changed: options.changed }) },
    cause: options.cause,
  });
}

/** The same error, now known to have changed nothing (it came before any write). */
export function changedNothing(error: unknown): unknown {
  if (!isAgentcfgError(error) || error.code !== ErrorCode.STORAGE_UNAVAILABLE || error.context.changed !== undefined) return error;
  const { errno, operation, file } = error.context;
  return storageUnavailable(String(errno), String(operation), String(file), { changed: false, cause: error.cause });
}

/**
 * An error as storage reports it: a typed error stays as it is; a fault of the environment becomes
 * STORAGE_UNAVAILABLE naming the operation and the file; busy calls become UNAVAILABLE; anything else INTERNAL.
 */
export function toStorageError(error: unknown, operation: string, file: string): AgentcfgError {
  if (isAgentcfgError(error)) return error;
  const fault = environmentFaultOf(error);
  if (fault) return storageUnavailable(fault.code as string, operation, fault.path ?? file, { cause: error });
  const errno = errnoOf(error);
  const code = errno && TRANSIENT_ERRNOS.has(errno) ? ErrorCode.UNAVAILABLE : ErrorCode.INTERNAL_ERROR;
  const reason = errno ?? (error as Error)?.message ?? String(error);
  return new AgentcfgError(code, `storage ${operation} of ${file} failed: ${reason}`, {
    context: { service: 'file', operation, file, errno },
    cause: error,
  });
}

/**
 * An error that reached a layer above storage without a type: a fault of the environment is given its type
 * there (the file it names, if any), anything else is returned as it is for the caller to report.
 */
export function typedIfEnvironmental(error: unknown): unknown {
  if (isAgentcfgError(error)) return error;
  const fault = environmentFaultOf(error);
  return fault ? storageUnavailable(fault.code as string, fault.syscall ?? 'use', fault.path ?? 'the data folder', { cause: error }) : error;
}

/** Runs a storage operation, turning raw file-system errors into typed ones. */
export async function guardIo<T>(operation: string, file: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw toStorageError(error, operation, file);
  }
}

/**
 * Refuses a write before anything is attempted when the folder cannot be written (read-only media, no
 * permission): STORAGE_UNAVAILABLE, nothing changed. A folder not made yet is left to the write to create.
 */
export async function ensureWritable(fs: IFileSystem, folder: string): Promise<void> {
  try {
    await fs.checkWritable(folder);
  } catch (error) {
    if (errnoOf(error) === 'ENOENT') return;
    const fault = environmentFaultOf(error);
    throw fault ? storageUnavailable(fault.code as string, 'write to', folder, { changed: false, cause: error }) : toStorageError(error, 'write to', folder);
  }
}
