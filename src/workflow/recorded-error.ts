import { isAgentcfgError } from '../domain/errors/agentcfg-error';
import { typedIfEnvironmental } from '../storage/io-errors';
import type { RecordedError } from './workflow-run';

/** The record a CONFLICT carries, found along the cause chain (steps wrap the service's error). */
function conflictingRecord(error: unknown): unknown {
  for (let e = error; e !== undefined && e !== null; e = (e as Error).cause) {
    if (typeof e === 'object' && 'current' in e) return JSON.parse(JSON.stringify((e as { current: unknown }).current ?? null)) as unknown;
  }
  return undefined;
}

/** The messages of an error's cause chain, outermost first (bounded, in case of a cycle). */
function causeChain(error: unknown): string[] {
  const messages: string[] = [];
  for (let cause = (error as Error | undefined)?.cause; cause !== undefined && messages.length < 10; cause = (cause as Error).cause) {
    messages.push(cause instanceof Error ? cause.message : String(cause));
  }
  return messages;
}

/** An error in the form a journal keeps: code, message, details, a JSON-safe context and the cause chain. */
export function recordError(thrown: unknown): RecordedError {
  const error = typedIfEnvironmental(thrown);
  const causes = causeChain(error);
  if (isAgentcfgError(error)) {
    const context = JSON.parse(JSON.stringify(error.context)) as Record<string, unknown>;
    const current = conflictingRecord(error);
    return { code: error.code, message: error.message, details: error.details, context, causes, ...(current === undefined ? {} : { current }) };
  }
  return { code: 'INTERNAL_ERROR', message: error instanceof Error ? error.message : String(error), details: [], context: {}, causes };
}
