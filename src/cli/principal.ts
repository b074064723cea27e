import { defaultPrincipal } from '../di/container';
import { ValidationError } from '../domain/errors/errors';
import { principalSchema, type Principal } from '../security/security-context';
import type { CliIO } from './cli-io';

/** Where each field of the principal came from, to name it when it is wrong. */
const SOURCES = { actor: ['--actor', 'AGENTCFG_ACTOR'], access: ['--as', 'AGENTCFG_ROLE'] } as const;

/**
 * Who a command acts as: `--actor`/`--as`, else $AGENTCFG_ACTOR/$AGENTCFG_ROLE, else the OS user as admin of
 * their own local data folder. A bad value is a VALIDATION_ERROR naming the flag or variable it came from.
 */
export function principalFrom(flags: { actor?: string; as?: string }, io: CliIO): Principal {
  const fallback = defaultPrincipal();
  const actor = flags.actor ?? io.env.AGENTCFG_ACTOR ?? fallback.actor;
  const access = flags.as ?? io.env.AGENTCFG_ROLE ?? fallback.access;
  const parsed = principalSchema.safeParse({ actor, access });
  if (parsed.success) return parsed.data;
  const details = parsed.error.issues.map((issue) => {
    const field = String(issue.path[0]) as keyof typeof SOURCES;
    const [flag, variable] = SOURCES[field] ?? ['--actor', 'AGENTCFG_ACTOR'];
    return { path: flags[field === 'actor' ? 'actor' : 'as'] !== undefined ? flag : variable, message: issue.message };
  });
  throw new ValidationError(`invalid principal: ${details.map((d) => d.path).join(', ')}`, details, { context: { operation: 'principal' } });
}
