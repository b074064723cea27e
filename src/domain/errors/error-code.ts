/** Stable error codes; callers and the CLI switch on these, never on messages. */
export const ErrorCode = {
  VALIDATION_ERROR: 'VALIDATION_ERROR',
  NOT_FOUND: 'NOT_FOUND',
  CONFLICT: 'CONFLICT',
  FORBIDDEN: 'FORBIDDEN',
  REFERENCE_ERROR: 'REFERENCE_ERROR',
  INTEGRITY_ERROR: 'INTEGRITY_ERROR',
  UNAVAILABLE: 'UNAVAILABLE',
  INCONSISTENT: 'INCONSISTENT',
  STORAGE_UNAVAILABLE: 'STORAGE_UNAVAILABLE',
  INTERNAL_ERROR: 'INTERNAL_ERROR',
} as const;

/** One of the stable error codes. */
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];
