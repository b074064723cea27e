import { z } from 'zod';

/** What someone may do: viewers read, editors also change records, admins also manage templates and workflows. */
export const SECURITY_ROLES = ['viewer', 'editor', 'admin'] as const;
export type SecurityRole = (typeof SECURITY_ROLES)[number];

/** Who asks for a request: the actor's name and role, and optionally the request id to record. */
export interface Principal {
  actor: string;
  role: SecurityRole;
  /** Ties every audit entry of the calls made with this principal to one request of the app. */
  requestId?: string;
}

/** Actor names are short printable text: they end up in audit lines and messages. */
export const principalSchema = z
  .object({
    actor: z.string().min(1, 'must not be empty').max(200, 'must be at most 200 characters').regex(/^[^\p{Cc}]+$/u, 'must not contain control characters'),
    role: z.enum(SECURITY_ROLES, { message: `must be one of ${SECURITY_ROLES.join(', ')}` }),
    requestId: z.string().min(1).max(200).regex(/^[\w.:-]+$/, 'must be letters, digits, _ . : -').optional(),
  })
  .strict();

/**
 * Who acts, with what rights, for which request. Only ConfigurationService issues one (see ContextAuthority);
 * services refuse any other object, however it looks, so a plain `{ actor, role }` cannot stand in for it.
 */
export interface SecurityContext {
  readonly actor: string;
  readonly role: SecurityRole;
  readonly requestId: string;
}
