import { auditFailure } from '../audit/audit-failure';
import type { IAuditLog } from '../audit/audit-log';
import type { AuditEvent } from '../audit/audit-entry';
import type { AccessRequest, IAccessControl } from './access-control';
import type { Right } from './rights';
import type { SecurityContext } from './security-context';

/**
 * The one authorize-and-audit step every entry point takes: checks that `context` holds `right` for `request`
 * (a refusal is audited where it is decided), runs `work` as the checked context, and audits a failure of the
 * work once, as failed or denied, before rethrowing it (see auditFailure: an error on record is not audited again
 * by the layers it passes through). A success is audited by the work itself, with what it changed.
 */
export async function guarded<T>(
  services: { access: IAccessControl; audit: IAuditLog },
  context: unknown,
  right: Right,
  request: AccessRequest,
  work: (checked: SecurityContext) => Promise<T>,
  where: Pick<AuditEvent, 'target' | 'workflowId' | 'stepId'> = request.target ? { target: request.target } : {},
): Promise<T> {
  const checked = await services.access.authorize(context, right, request);
  try {
    return await work(checked);
  } catch (error) {
    throw await auditFailure(services.audit, checked, request.action, error, where);
  }
}
