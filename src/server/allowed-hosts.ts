import { hostname, networkInterfaces } from 'node:os';
import { isIP } from 'node:net';

/** Whether a host name or address only reaches this machine. */
export function isLoopback(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '').toLowerCase();
  return bare === 'localhost' || bare === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(bare);
}

/** Whether a bind address listens on every interface. */
export function isWildcard(host: string): boolean {
  return host === '0.0.0.0' || host === '::' || host === '[::]';
}

/** A host as it appears in a Host header or URL: IPv6 addresses in brackets. */
export function hostForUrl(host: string): string {
  return isIP(host) === 6 ? `[${host}]` : host;
}

/**
 * The Host header values this server answers to: the bound host and port, and when it is bound to loopback
 * the other names of loopback; bound to every interface, this machine's addresses and name. Any other Host is
 * a page on a foreign name that resolved to us (DNS rebinding), refused before anything is read.
 */
export function allowedHosts(host: string, port: number): Set<string> {
  const names = new Set<string>([host]);
  if (isLoopback(host) || isWildcard(host)) ['localhost', '127.0.0.1', '::1'].forEach((n) => names.add(n));
  if (isWildcard(host)) {
    names.add(hostname());
    for (const addresses of Object.values(networkInterfaces())) for (const a of addresses ?? []) names.add(a.address);
  }
  return new Set([...names].map((n) => `${hostForUrl(n).toLowerCase()}:${port}`));
}
