import type { AuditTarget } from '../audit/audit-entry';
import type { Right } from './rights';
import type { SecurityContext } from './security-context';

/** What a call asks to do, for the denial message and the audit entry. */
export interface AccessRequest {
  /** e.g. `personality.update`, `workflow.show`. */
  action: string;
  target?: AuditTarget;
  workflowId?: string;
}

/**
 * The one place rights are checked. Every service asks it before acting, so a service resolved straight from
 * the container refuses a caller without an issued context just as the ConfigurationService does.
 */
export interface IAccessControl {
  /** The caller's context when it was issued by ConfigurationService and holds `right`; otherwise FORBIDDEN, audited. */
  authorize(context: unknown, right: Right, request: AccessRequest): Promise<SecurityContext>;
  /** As `authorize` with `right`, and the workflow must be the caller's own unless they hold `manage-workflows`. */
  authorizeWorkflow(context: unknown, right: Right, owner: string | undefined, request: AccessRequest): Promise<SecurityContext>;
  /** Whether a context may see and act on a workflow owned by `owner`. */
  ownsOrManages(context: SecurityContext, owner: string | undefined): boolean;
  /** Refuses (FORBIDDEN, audited) for a reason found while acting, such as a template met by an editor. */
  deny(context: SecurityContext, right: Right, request: AccessRequest, why: string): Promise<never>;
}

/** Injection token for access control. */
export const IAccessControl = Symbol.for('agentcfg.IAccessControl');
