import { AgentcfgError, isAgentcfgError } from '../../domain/errors/agentcfg-error';
import { ErrorCode } from '../../domain/errors/error-code';
import { ForbiddenError, UnavailableError, ValidationError } from '../../domain/errors/errors';

/** SQLSTATE classes and codes that mean "the server could not be reached or went away": worth a retry. */
const UNREACHABLE = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', '57P01', '57P02', '57P03', '53300', '08000', '08001', '08003', '08004', '08006']);

/**
 * A database error as agentcfg reports it: typed errors pass as they are, a server that cannot be reached or went
 * away is UNAVAILABLE (retried by the services' policies), anything else is returned for the caller to report.
 * Messages never carry the connection string.
 */
export function storeError(error: unknown, operation: string): unknown {
  if (isAgentcfgError(error)) return error;
  const code = (error as { code?: unknown } | null)?.code;
  const context = { service: 'store', operation, code: typeof code === 'string' ? code : null };
  // pg reports a connection lost between queries without a code, by message only.
  const lost = error instanceof Error && /^Connection terminated|^Connection ended|connection timeout/i.test(error.message);
  if ((typeof code === 'string' && UNREACHABLE.has(code)) || lost) {
    return new UnavailableError(`the database cannot be reached (${typeof code === 'string' ? code : 'connection lost'}); try again when it is back`, { cause: error, context });
  }
  if (code === '28P01' || code === '28000') return new ForbiddenError('the database refused the login (check the user and password of --store)', { cause: error, context });
  if (code === '42501') {
    return new ForbiddenError("the database role lacks a privilege this needs (creating the schema needs the owner's role: run `agentcfg db migrate` as the owner)", { cause: error, context });
  }
  if (code === '22P05' || code === '22021') {
    return new ValidationError('the text cannot be stored in PostgreSQL (it holds a NUL character or invalid UTF-8)', [{ path: '', message: 'must not contain a NUL character' }], { cause: error, context });
  }
  if (code === '3D000') return new AgentcfgError(ErrorCode.NOT_FOUND, 'the database named in --store does not exist; create it first', { cause: error, context });
  return error;
}

/** Runs a database call, typing its failure (see storeError). */
export async function guardDb<T>(operation: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw storeError(error, operation);
  }
}
