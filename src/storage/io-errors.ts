import { AgentcfgError, isAgentcfgError } from '../domain/errors/agentcfg-error';
import { ErrorCode } from '../domain/errors/error-code';

/** File-system error codes that mean "busy or out of resources for now": worth trying again. */
const TRANSIENT_ERRNOS: ReadonlySet<string> = new Set(['EBUSY', 'EAGAIN', 'ETIMEDOUT', 'EMFILE', 'ENFILE', 'EINTR']);

/** Wraps a raw file-system error in a typed error that names the operation and file and keeps the cause. */
export function toStorageError(error: unknown, operation: string, file: string): AgentcfgError {
  if (isAgentcfgError(error)) return error;
  const errno = (error as NodeJS.ErrnoException)?.code;
  const code = errno && TRANSIENT_ERRNOS.has(errno) ? ErrorCode.UNAVAILABLE : ErrorCode.INTERNAL_ERROR;
  const reason = errno ?? (error as Error)?.message ?? String(error);
  return new AgentcfgError(code, `storage ${operation} of ${file} failed: ${reason}`, {
    context: { service: 'file', operation, file, errno },
    cause: error,
  });
}

/** Runs a storage operation, turning raw file-system errors into typed ones. */
export async function guardIo<T>(operation: string, file: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw toStorageError(error, operation, file);
  }
}
