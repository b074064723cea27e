/** `node:crypto` in the browser: what the domain imports. `randomUUID` (ids.ts) from the Web Crypto API. */
export function randomUUID(): string {
  return crypto.randomUUID();
}

/**
 * `createHash` (prompt/resolution.ts, reached through the agent schema): only the server stamps resolutions, so the
 * console never hashes; calling it is a bug.
 */
export function createHash(): never {
  throw new Error('createHash is not available in the console: resolutions are stamped by the server');
}
