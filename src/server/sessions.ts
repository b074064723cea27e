import { randomBytes } from 'node:crypto';
import type { Principal } from '../security/security-context';

/** How long a browser session lasts without being used. */
export const SESSION_IDLE_MS = 8 * 60 * 60 * 1000;
/** How long a one-time login code printed by `serve` may wait to be used. */
export const LOGIN_CODE_TTL_MS = 15 * 60 * 1000;

interface Entry {
  principal: Principal;
  expires: number;
}

/** A random, URL-safe secret of 32 bytes. */
function secret(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * Browser sessions and one-time login codes, in this process's memory only: a restart logs every browser out,
 * and nothing about a session is ever written down. A session id is random and maps to who logged in.
 */
export class SessionRegistry {
  private readonly sessions = new Map<string, Entry>();
  private readonly codes = new Map<string, Entry>();

  constructor(private readonly now: () => number = Date.now) {}

  /** Starts a session for a principal; returns its id (the cookie's value). */
  open(principal: Principal): string {
    this.sweep();
    const id = secret();
    this.sessions.set(id, { principal, expires: this.now() + SESSION_IDLE_MS });
    return id;
  }

  /** Who a session id acts for, renewing it; null when unknown or expired. */
  principalOf(id: string): Principal | null {
    const entry = this.sessions.get(id);
    if (!entry || entry.expires <= this.now()) {
      this.sessions.delete(id);
      return null;
    }
    entry.expires = this.now() + SESSION_IDLE_MS;
    return entry.principal;
  }

  /** Ends a session (logging out). */
  close(id: string): void {
    this.sessions.delete(id);
  }

  /** A code that logs in as `principal` once, within LOGIN_CODE_TTL_MS. */
  issueLoginCode(principal: Principal): string {
    const code = secret();
    this.codes.set(code, { principal, expires: this.now() + LOGIN_CODE_TTL_MS });
    return code;
  }

  /** Who a login code is for, spending it: a second use, or a late one, gets null. */
  redeemLoginCode(code: string): Principal | null {
    const entry = this.codes.get(code);
    this.codes.delete(code);
    return entry && entry.expires > this.now() ? entry.principal : null;
  }

  private sweep(): void {
    const now = this.now();
    for (const [id, entry] of this.sessions) if (entry.expires <= now) this.sessions.delete(id);
    for (const [code, entry] of this.codes) if (entry.expires <= now) this.codes.delete(code);
  }
}
