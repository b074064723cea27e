import { AgentcfgError, type AgentcfgErrorOptions, type ErrorContext, type ErrorDetail } from './agentcfg-error';
import { ErrorCode } from './error-code';

/** Input failed validation; `details` names every failing field. */
export class ValidationError extends AgentcfgError {
  constructor(message: string, details: ErrorDetail[], options: Omit<AgentcfgErrorOptions, 'details'> = {}) {
    super(ErrorCode.VALIDATION_ERROR, message, { ...options, details });
    this.name = 'ValidationError';
  }
}

/** The named record does not exist. */
export class NotFoundError extends AgentcfgError {
  constructor(kind: string, id: string, context: ErrorContext = {}) {
    super(ErrorCode.NOT_FOUND, `${kind} '${id}' was not found`, { context: { ...context, kind, id } });
    this.name = 'NotFoundError';
  }
}

/** A write was made against an outdated version, or an id is already taken; carries the current record. */
export class ConflictError extends AgentcfgError {
  constructor(
    message: string,
    readonly current: unknown,
    options: AgentcfgErrorOptions = {},
  ) {
    super(ErrorCode.CONFLICT, message, options);
    this.name = 'ConflictError';
  }
}

/** The caller may not do this (for example: change a template). */
export class ForbiddenError extends AgentcfgError {
  constructor(message: string, options: AgentcfgErrorOptions = {}) {
    super(ErrorCode.FORBIDDEN, message, options);
    this.name = 'ForbiddenError';
  }
}

/** A reference between records would dangle: a missing target, or a record still in use. */
export class ReferenceIntegrityError extends AgentcfgError {
  constructor(message: string, details: ErrorDetail[], options: Omit<AgentcfgErrorOptions, 'details'> = {}) {
    super(ErrorCode.REFERENCE_ERROR, message, { ...options, details });
    this.name = 'ReferenceIntegrityError';
  }
}

/** A stored file cannot be trusted and no good copy is left; nothing was changed. */
export class IntegrityError extends AgentcfgError {
  constructor(message: string, options: AgentcfgErrorOptions = {}) {
    super(ErrorCode.INTEGRITY_ERROR, message, options);
    this.name = 'IntegrityError';
  }
}

/** A resource is busy or out of reach for now; trying again later may succeed. */
export class UnavailableError extends AgentcfgError {
  constructor(message: string, options: AgentcfgErrorOptions = {}) {
    super(ErrorCode.UNAVAILABLE, message, options);
    this.name = 'UnavailableError';
  }
}

/**
 * The storage cannot take a write (or a read) because of its environment, not because of agentcfg or the input:
 * the disk is full, the file system is read-only, permission is denied, the process has too many files open, or
 * the device failed. `context.errno` names the cause; `context.changed` is false when nothing was changed.
 */
export class StorageUnavailableError extends AgentcfgError {
  constructor(message: string, options: AgentcfgErrorOptions = {}) {
    super(ErrorCode.STORAGE_UNAVAILABLE, message, options);
    this.name = 'StorageUnavailableError';
  }
}
