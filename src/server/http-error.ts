import type { ErrorDetail } from '../domain/errors/agentcfg-error';

/** Codes of refusals made by the HTTP layer itself, before any service is asked. */
export const HttpErrorCode = {
  /** A malformed request: bad JSON, a bad header, query or path parameter (400). */
  USAGE_ERROR: 'USAGE_ERROR',
  /** No credentials, or credentials that are unknown, malformed or revoked (401). */
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  /** A Host header that is not this server's: a DNS-rebinding attempt, or a misdirected request (421). */
  MISDIRECTED_REQUEST: 'MISDIRECTED_REQUEST',
} as const;

/** A refusal by the HTTP layer: its status and the CLI's error document fields. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: ErrorDetail[] = [],
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

/** True when `value` is an HttpError. */
export function isHttpError(value: unknown): value is HttpError {
  return value instanceof HttpError;
}
