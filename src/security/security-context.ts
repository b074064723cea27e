import { z } from 'zod';

/** What someone may do: viewers read, editors also change records, admins also manage templates and workflows. */
export const ACCESS_LEVELS = ['viewer', 'editor', 'admin'] as const;
export type AccessLevel = (typeof ACCESS_LEVELS)[number];

/** @deprecated The earlier name of ACCESS_LEVELS. */
export const SECURITY_ROLES = ACCESS_LEVELS;
/** @deprecated The earlier name of AccessLevel. */
export type SecurityRole = AccessLevel;

/** Who asks for a request: the actor's name and access level, and optionally the request id to record. */
export interface Principal {
  actor: string;
  access: AccessLevel;
  /** Ties every audit entry of the calls made with this principal to one request of the app. */
  requestId?: string;
}

/** A principal as callers give it: `role` is the earlier name of `access`, still accepted. */
export type PrincipalInput = Omit<Principal, 'access'> & ({ access: AccessLevel; role?: undefined } | { role: AccessLevel; access?: undefined });

const principalShape = z
  .object({
    actor: z.string().min(1, 'must not be empty').max(200, 'must be at most 200 characters').regex(/^[^\p{Cc}]+$/u, 'must not contain control characters'),
    access: z.enum(ACCESS_LEVELS, { message: `must be one of ${ACCESS_LEVELS.join(', ')}` }),
    requestId: z.string().min(1).max(200).regex(/^[\w.:-]+$/, 'must be letters, digits, _ . : -').optional(),
  })
  .strict();

/** Actor names are short printable text: they end up in audit lines and messages. */
export const principalSchema = z.preprocess((value) => {
  if (typeof value !== 'object' || value === null || Array.isArray(value) || 'access' in value || !('role' in value)) return value;
  const { role, ...rest } = value as Record<string, unknown>;
  return { ...rest, access: role };
}, principalShape);

/**
 * Who acts, with what access level, for which request. Only ConfigurationService issues one (see
 * ContextAuthority); services refuse any other object, however it looks, so a plain `{ actor, access }` cannot
 * stand in for it.
 */
export interface SecurityContext {
  readonly actor: string;
  readonly access: AccessLevel;
  readonly requestId: string;
}
