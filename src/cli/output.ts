import { isAgentcfgError, type ErrorDetail } from '../domain/errors/agentcfg-error';
import { printable } from '../domain/validation/text-hygiene';
import type { CliIO } from './cli-io';
import { exitCodeFor } from './exit-codes';
import { typedIfEnvironmental } from '../storage/io-errors';
import type { StoreHealth } from '../storage/record-store';

/** An error as the command line reports it. */
export interface CliError {
  code: string;
  message: string;
  details: ErrorDetail[];
  /** The workflow run, when the error is a workflow's outcome. */
  workflow?: unknown;
  /** The verify report, when the error is an inconsistency. */
  report?: unknown;
}

/** The first line of an unexpected error's message: never its stack, which some errors fold into the message. */
export function internalMessage(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return `internal error: ${message.split('\n')[0]}`;
}

/** Turns anything thrown into the reported error: its code, message and details; never a stack or a cause chain. */
export function toCliError(thrown: unknown): CliError {
  const error = typedIfEnvironmental(thrown);
  if (!isAgentcfgError(error)) return { code: 'INTERNAL_ERROR', message: internalMessage(error), details: [] };
  const reported = error.toJSON();
  // An internal error says so, whichever layer typed it: it is a bug to report, not something the user did.
  if (reported.code === 'INTERNAL_ERROR' && !reported.message.startsWith('internal error')) return { ...reported, message: `internal error: ${reported.message}` };
  return reported;
}

/** An error with no control characters or credentials in its text (a message may quote input), safe to print. */
function safeToPrint(error: CliError): CliError {
  return { ...error, message: printable(error.message), details: error.details.map((d) => ({ path: printable(d.path), message: printable(d.message) })) };
}

/**
 * Writes results: with `--json` exactly one JSON document on stdout; otherwise readable text on stdout and
 * errors on stderr.
 */
export class Output {
  /** Whether what is reported was read from a snapshot while the store was away (see watchHealth). */
  private health: () => StoreHealth = () => ({ degraded: false });

  constructor(
    private readonly io: CliIO,
    readonly json: boolean,
  ) {}

  /** Marks results read while the store was away: `degraded: true` in the JSON document, a warning in text. */
  watchHealth(health: () => StoreHealth): void {
    this.health = health;
  }

  /** Reports success; `text` renders the data for people; `extra` adds keys beside `data` in the JSON document. */
  success(data: unknown, text: () => string, extra: Record<string, unknown> = {}): number {
    const { degraded, since } = this.health();
    if (this.json) this.io.stdout(`${JSON.stringify({ ok: true, data, ...extra, ...(degraded ? { degraded: true } : {}) })}\n`);
    else this.io.stdout(ensureNewline(text()));
    if (degraded && !this.json) this.io.stderr(`agentcfg: warning: the store is unavailable (since ${since ?? 'a moment ago'}); this was read from the last snapshot and may be out of date\n`);
    return 0;
  }

  /** Reports a failure and returns its exit code. */
  failure(reported: CliError): number {
    const error = safeToPrint(reported);
    if (this.json) {
      this.io.stdout(`${JSON.stringify({ ok: false, error })}\n`);
    } else {
      const lines = [`agentcfg: ${error.code}: ${error.message}`, ...error.details.map((d) => `  - ${d.path || '(value)'}: ${d.message}`)];
      this.io.stderr(`${lines.join('\n')}\n`);
    }
    return exitCodeFor(error.code as Parameters<typeof exitCodeFor>[0]);
  }

  /** A note for people (never on stdout, so `--json` output stays one document). */
  note(text: string): void {
    this.io.stderr(ensureNewline(text));
  }
}

function ensureNewline(text: string): string {
  return text.endsWith('\n') ? text : `${text}\n`;
}
