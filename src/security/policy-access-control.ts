import type { IAuditLog } from '../audit/audit-log';
import { ForbiddenError } from '../domain/errors/errors';
import type { AccessRequest, IAccessControl } from './access-control';
import type { ContextAuthority } from './context-authority';
import { hasRight, leastLevelWith, type Right } from './rights';
import type { SecurityContext } from './security-context';

function describe(request: AccessRequest): string {
  return request.target ? `${request.action} ${request.target.kind} '${request.target.id}'` : request.action;
}

/** A claimed actor name, for the audit entry of a refused forged context (never trusted for anything else). */
function claimedActor(value: unknown): string {
  const actor = (value as { actor?: unknown } | null)?.actor;
  return typeof actor === 'string' ? `unverified:${actor.slice(0, 100)}` : 'unknown';
}

/** Access control by role (see rights.ts), with contexts recognised by the container's authority. */
export class PolicyAccessControl implements IAccessControl {
  constructor(
    private readonly authority: Pick<ContextAuthority, 'verify'>,
    private readonly audit: IAuditLog,
  ) {}

  async authorize(value: unknown, right: Right, request: AccessRequest): Promise<SecurityContext> {
    const context = this.authority.verify(value);
    if (!context) {
      const message = `${describe(request)} refused: the call carries no security context issued by ConfigurationService (right '${right}' cannot be checked)`;
      await this.audit.append({ actor: claimedActor(value), role: null, requestId: null, action: request.action, ...this.where(request), outcome: 'denied', reason: `FORBIDDEN: ${message}` });
      throw new ForbiddenError(message, { context: { operation: request.action, missingRight: right } });
    }
    if (!hasRight(context.access, right)) {
      return this.deny(context, right, request, `${context.access} '${context.actor}' lacks the right '${right}' (${leastLevelWith(right)} or above)`);
    }
    return context;
  }

  async authorizeWorkflow(value: unknown, right: Right, owner: string | undefined, request: AccessRequest): Promise<SecurityContext> {
    const context = await this.authorize(value, right, request);
    if (this.ownsOrManages(context, owner)) return context;
    return this.deny(context, 'manage-workflows', request, `workflow ${request.workflowId ?? ''} belongs to ${owner ?? 'an unknown actor'}; ${context.access} '${context.actor}' lacks the right 'manage-workflows' (admin)`);
  }

  ownsOrManages(context: SecurityContext, owner: string | undefined): boolean {
    return (owner !== undefined && owner === context.actor) || hasRight(context.access, 'manage-workflows');
  }

  async deny(context: SecurityContext, right: Right, request: AccessRequest, why: string): Promise<never> {
    const message = `${describe(request)} refused: ${why}`;
    await this.audit.append({ actor: context.actor, role: context.access, requestId: context.requestId, action: request.action, ...this.where(request), outcome: 'denied', reason: `FORBIDDEN: ${message}` });
    throw new ForbiddenError(message, { context: { operation: request.action, actor: context.actor, role: context.access, missingRight: right } });
  }

  private where(request: AccessRequest): { target?: AccessRequest['target']; workflowId?: string } {
    return { ...(request.target ? { target: request.target } : {}), ...(request.workflowId ? { workflowId: request.workflowId } : {}) };
  }
}
