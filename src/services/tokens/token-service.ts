import type { AccessLevel, Principal, SecurityContext } from '../../security/security-context';

/** A token as people see it: never its secret or hash. */
export interface AccessTokenInfo {
  name: string;
  access: AccessLevel;
  createdAt: string;
  createdBy: string;
  revokedAt?: string;
  revokedBy?: string;
}

/**
 * Access tokens for the HTTP API and console. Only an admin creates, lists and revokes them (FORBIDDEN otherwise,
 * audited); `access` is the level the new token grants, not the caller's. A token's secret is shown once, at
 * creation; only its hash is kept.
 */
export interface ITokenService {
  create(input: { name: string; access: AccessLevel }, context: SecurityContext): Promise<{ token: AccessTokenInfo; secret: string }>;
  list(context: SecurityContext): Promise<AccessTokenInfo[]>;
  revoke(name: string, context: SecurityContext): Promise<AccessTokenInfo>;
  /** Who a secret acts for (actor: the token's name), or null for a secret that is unknown, malformed or revoked. */
  authenticate(secret: string): Promise<Principal | null>;
}

/** Injection token for the token service. */
export const ITokenService = Symbol.for('agentcfg.ITokenService');
