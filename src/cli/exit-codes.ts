import type { ErrorCode } from '../domain/errors/error-code';

/** Process exit codes of the command line; stable, documented in the README. */
export const ExitCode = {
  OK: 0,
  INTERNAL: 1,
  USAGE: 2,
  VALIDATION_ERROR: 3,
  NOT_FOUND: 4,
  CONFLICT: 5,
  FORBIDDEN: 6,
  REFERENCE_ERROR: 7,
  INTEGRITY_ERROR: 8,
  UNAVAILABLE: 9,
  INCONSISTENT: 10,
  STORAGE_UNAVAILABLE: 11,
} as const;

/** The exit code for an error code. */
export function exitCodeFor(code: ErrorCode | 'USAGE_ERROR'): number {
  if (code === 'USAGE_ERROR') return ExitCode.USAGE;
  if (code === 'INTERNAL_ERROR') return ExitCode.INTERNAL;
  return ExitCode[code];
}
