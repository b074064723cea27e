/** `node:crypto` in the browser: the one function the domain imports (ids.ts), from the Web Crypto API. */
export function randomUUID(): string {
  return crypto.randomUUID();
}
