import pino from 'pino';

/** The structured logger services write to (pino's call shape: `warn({ ...fields }, 'message')`). */
export interface ILogger {
  debug(fields: object, message: string): void;
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
  error(fields: object, message: string): void;
}

/** Injection token for the logger. */
export const ILogger = Symbol.for('agentcfg.ILogger');

/** A logger that drops everything, for library users who pass none. */
export function silentLogger(): ILogger {
  return pino({ level: 'silent' });
}
