import type { AccessLevel } from '../security/security-context';

/** An access token as stored: its name, level and history; the secret itself never, only its hash. */
export interface StoredToken {
  /** Unique among tokens not revoked; the actor the token's requests are audited as. */
  name: string;
  access: AccessLevel;
  /** sha256 of the secret, hex. */
  hash: string;
  createdAt: string;
  /** The actor who created it. */
  createdBy: string;
  revokedAt?: string;
  revokedBy?: string;
}

/**
 * Where access tokens live beside the records (the data folder, or the database): hashes only. Writes are durable
 * when they return; another process sees them on its next read.
 */
export interface ITokenStore {
  /** Stores a new token; CONFLICT when a token not revoked has the name already. */
  add(token: Omit<StoredToken, 'revokedAt' | 'revokedBy'>): Promise<void>;
  /** Every token, revoked ones included, oldest first. */
  list(): Promise<StoredToken[]>;
  /** The token whose hash this is, revoked or not; null when there is none. */
  findByHash(hash: string): Promise<StoredToken | null>;
  /** Marks the live token of that name revoked; NOT_FOUND when there is none. Returns it as stored now. */
  revoke(name: string, by: string, at: string): Promise<StoredToken>;
}

/** Injection token for the token store. */
export const ITokenStore = Symbol.for('agentcfg.ITokenStore');
