import { isAgentcfgError } from '../domain/errors/agentcfg-error';
import type { RecordedError } from './workflow-run';

/** An error in the form a journal keeps: code, message, details and a JSON-safe context. */
export function recordError(error: unknown): RecordedError {
  if (isAgentcfgError(error)) {
    return { code: error.code, message: error.message, details: error.details, context: JSON.parse(JSON.stringify(error.context)) as Record<string, unknown> };
  }
  return { code: 'INTERNAL_ERROR', message: error instanceof Error ? error.message : String(error), details: [], context: {} };
}
