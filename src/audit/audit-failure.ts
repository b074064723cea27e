import { hasErrorCode, isAgentcfgError } from '../domain/errors/agentcfg-error';
import type { SecurityContext } from '../security/security-context';
import type { AuditEvent } from './audit-entry';
import type { IAuditLog } from './audit-log';

/** Errors already on record, so a request refused deep down is not audited again by each layer it passes. */
const audited = new WeakSet<object>();

/** Denials by access control are audited where they are decided; this tells them apart. */
export function isDecidedDenial(error: unknown): boolean {
  return isAgentcfgError(error) && error.context.missingRight !== undefined;
}

/**
 * Audits a request that failed (or was refused for a reason other than a missing right) and returns the error
 * to rethrow, so a refused attack is on record just like a change that was made.
 */
export async function auditFailure(
  audit: IAuditLog,
  context: SecurityContext,
  action: string,
  error: unknown,
  where: Pick<AuditEvent, 'target' | 'workflowId' | 'stepId'> = {},
): Promise<unknown> {
  if (isDecidedDenial(error)) return error;
  if (typeof error === 'object' && error !== null) {
    if (audited.has(error)) return error;
    audited.add(error);
  }
  const reason = isAgentcfgError(error) ? `${error.code}: ${error.message}` : `INTERNAL_ERROR: ${String(error)}`;
  const { actor, access, requestId } = context;
  try {
    await audit.append({ actor, role: access, requestId, action, ...where, outcome: hasErrorCode(error, 'FORBIDDEN') ? 'denied' : 'failed', reason });
  } catch {
    // The failure stands whether or not it could be put on record (a full disk refuses both): report the failure.
  }
  return error;
}
