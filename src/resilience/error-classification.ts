import { isAgentcfgError } from '../domain/errors/agentcfg-error';
import { ErrorCode } from '../domain/errors/error-code';
import { BrokenCircuitError, TaskCancelledError } from 'cockatiel';
import { isPassingFault } from '../storage/io-errors';
import { isLostTransaction } from '../storage/record-store';

const TRANSIENT_ERRNOS: ReadonlySet<string> = new Set(['EBUSY', 'EAGAIN', 'ETIMEDOUT', 'EMFILE', 'ENFILE', 'EINTR', 'ELOCKED']);

/**
 * Transient failures may pass if tried again: I/O busy/again/timeout, lock contention, UNAVAILABLE, too many open
 * files, and step timeouts. Everything else (VALIDATION_ERROR, NOT_FOUND, CONFLICT, FORBIDDEN, REFERENCE_ERROR, ...) is
 * permanent and never retried. An open circuit is not retried either: it exists to fail fast; nor is a step of a
 * workflow whose transaction was lost, which only a new run of the whole workflow gets past.
 */
export function isTransient(error: unknown): boolean {
  if (error instanceof BrokenCircuitError || isLostTransaction(error)) return false;
  if (error instanceof TaskCancelledError) return true;
  if (isAgentcfgError(error)) return error.code === ErrorCode.UNAVAILABLE || isPassingFault(error);
  const errno = (error as NodeJS.ErrnoException | undefined)?.code;
  return typeof errno === 'string' && TRANSIENT_ERRNOS.has(errno);
}
