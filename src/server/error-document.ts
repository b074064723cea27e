import { hasErrorCode, isAgentcfgError } from '../domain/errors/agentcfg-error';
import { ErrorCode } from '../domain/errors/error-code';
import { toCliError, type CliError } from '../cli/output';
import { HttpErrorCode, isHttpError } from './http-error';

/** The error document of every failed response: the CLI's `--json` failure, `current` added on a conflict. */
export interface ErrorDocument {
  ok: false;
  error: CliError & { current?: unknown };
}

/** A failed response: its status and body. */
export interface ErrorResponse {
  status: number;
  body: ErrorDocument;
}

/** The HTTP status of each error code; anything else is 500. */
const STATUS: Readonly<Record<string, number>> = {
  [HttpErrorCode.USAGE_ERROR]: 400,
  [HttpErrorCode.UNAUTHENTICATED]: 401,
  [HttpErrorCode.MISDIRECTED_REQUEST]: 421,
  [ErrorCode.FORBIDDEN]: 403,
  [ErrorCode.NOT_FOUND]: 404,
  [ErrorCode.CONFLICT]: 409,
  [ErrorCode.VALIDATION_ERROR]: 422,
  [ErrorCode.REFERENCE_ERROR]: 422,
  [ErrorCode.UNAVAILABLE]: 503,
  [ErrorCode.STORAGE_UNAVAILABLE]: 503,
};

/** The status an error code is answered with. */
export function statusForCode(code: string): number {
  return STATUS[code] ?? 500;
}

/**
 * Turns anything thrown into a response. Fastify's own refusals (bad JSON, a body too large, a wrong media type)
 * keep their 4xx status as usage errors; a conflict carries the record as it is now, so a client can merge.
 */
export function errorResponse(thrown: unknown): ErrorResponse {
  if (isHttpError(thrown)) {
    return { status: thrown.status, body: { ok: false, error: { code: thrown.code, message: thrown.message, details: thrown.details } } };
  }
  const framework = frameworkStatus(thrown);
  if (framework !== null) {
    const message = thrown instanceof Error ? thrown.message : 'malformed request';
    return { status: framework, body: { ok: false, error: { code: HttpErrorCode.USAGE_ERROR, message, details: [] } } };
  }
  const error: ErrorDocument['error'] = toCliError(thrown);
  if (hasErrorCode(thrown, ErrorCode.CONFLICT) && 'current' in thrown && thrown.current !== undefined) error.current = thrown.current;
  return { status: statusForCode(error.code), body: { ok: false, error } };
}

/** The 4xx status of an error Fastify raised (not one of ours), or null. */
function frameworkStatus(thrown: unknown): number | null {
  if (isAgentcfgError(thrown) || typeof thrown !== 'object' || thrown === null) return null;
  const { statusCode, code } = thrown as { statusCode?: unknown; code?: unknown };
  if (typeof code !== 'string' || !code.startsWith('FST_')) return null;
  return typeof statusCode === 'number' && statusCode >= 400 && statusCode < 500 ? statusCode : null;
}
