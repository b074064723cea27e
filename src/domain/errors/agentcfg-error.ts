import type { ErrorCode } from './error-code';

/** One failing input field: a dotted path (empty for the whole value) and why it failed. */
export interface ErrorDetail {
  path: string;
  message: string;
}

/** Where an error happened: which service and operation, and any ids worth naming. */
export interface ErrorContext {
  service?: string;
  operation?: string;
  workflowId?: string;
  [key: string]: unknown;
}

/** Options every typed error accepts. */
export interface AgentcfgErrorOptions {
  details?: ErrorDetail[];
  context?: ErrorContext;
  cause?: unknown;
}

const MARKER = Symbol.for('agentcfg.error');

/**
 * The one error type the library throws on purpose. A marker field (not `instanceof`) identifies it,
 * so checks keep working when two copies of the library are loaded.
 */
export class AgentcfgError extends Error {
  readonly [MARKER] = true;
  readonly details: ErrorDetail[];
  readonly context: ErrorContext;

  constructor(
    readonly code: ErrorCode,
    message: string,
    options: AgentcfgErrorOptions = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AgentcfgError';
    this.details = options.details ?? [];
    this.context = options.context ?? {};
  }

  /** A plain object for logs and `--json` output (no stack, no cause chain). */
  toJSON(): { code: ErrorCode; message: string; details: ErrorDetail[] } {
    return { code: this.code, message: this.message, details: this.details };
  }
}

/** True when `value` is an AgentcfgError from any copy of this library. */
export function isAgentcfgError(value: unknown): value is AgentcfgError {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[MARKER] === true;
}

/** True when `value` is an AgentcfgError with the given code. */
export function hasErrorCode(value: unknown, code: ErrorCode): value is AgentcfgError {
  return isAgentcfgError(value) && value.code === code;
}
