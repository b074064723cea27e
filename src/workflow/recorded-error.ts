import { isAgentcfgError } from '../domain/errors/agentcfg-error';
import type { RecordedError } from './workflow-run';

/** The messages of an error's cause chain, outermost first (bounded, in case of a cycle). */
function causeChain(error: unknown): string[] {
  const messages: string[] = [];
  for (let cause = (error as Error | undefined)?.cause; cause !== undefined && messages.length < 10; cause = (cause as Error).cause) {
    messages.push(cause instanceof Error ? cause.message : String(cause));
  }
  return messages;
}

/** An error in the form a journal keeps: code, message, details, a JSON-safe context and the cause chain. */
export function recordError(error: unknown): RecordedError {
  const causes = causeChain(error);
  if (isAgentcfgError(error)) {
    const context = JSON.parse(JSON.stringify(error.context)) as Record<string, unknown>;
    return { code: error.code, message: error.message, details: error.details, context, causes };
  }
  return { code: 'INTERNAL_ERROR', message: error instanceof Error ? error.message : String(error), details: [], context: {}, causes };
}
