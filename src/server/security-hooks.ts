import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ServerResponse } from 'node:http';
import { ForbiddenError } from '../domain/errors/errors';
import { HttpError, HttpErrorCode } from './http-error';

/** The policy every response carries: only this origin's own resources, never framed, no plugins. */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** Headers on every response, the API's and the console's alike. */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': CONTENT_SECURITY_POLICY,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
};

/** Sets the security headers on a raw response (a stream the server writes itself, such as the events). */
export function setSecurityHeaders(response: ServerResponse): void {
  for (const [name, value] of Object.entries(SECURITY_HEADERS)) response.setHeader(name, value);
  response.setHeader('cache-control', 'no-store');
}

const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** What the security hooks need to know about where the server listens. */
export interface SecurityOptions {
  /** Host header values (`host:port`, lower case) the server answers to. */
  hosts: () => ReadonlySet<string>;
}

/**
 * Refuses requests for a foreign Host (421) and state-changing requests from a foreign Origin (403), and puts
 * the security headers on every response; JSON is never cached.
 */
export function registerSecurityHooks(app: FastifyInstance, options: SecurityOptions): void {
  app.addHook('onRequest', async (request: FastifyRequest) => {
    const host = (request.headers.host ?? '').toLowerCase();
    if (!options.hosts().has(host)) {
      throw new HttpError(421, HttpErrorCode.MISDIRECTED_REQUEST, 'this server does not answer to that Host header', [{ path: 'headers.host', message: 'must name the address the server is bound to' }]);
    }
    const origin = request.headers.origin;
    if (origin !== undefined && STATE_CHANGING.has(request.method) && !isOwnOrigin(origin, options.hosts())) {
      throw new ForbiddenError('a change from another origin is refused', { details: [{ path: 'headers.origin', message: 'must be this server’s own origin' }], context: { operation: 'http' } });
    }
  });
  app.addHook('onSend', async (_request: FastifyRequest, reply: FastifyReply, payload: unknown) => {
    reply.headers(SECURITY_HEADERS);
    const type = String(reply.getHeader('content-type') ?? '');
    if (type === '' || type.startsWith('application/json')) reply.header('cache-control', 'no-store');
    return payload;
  });
}

/** Whether an Origin header names this server (http or https, an allowed host). */
function isOwnOrigin(origin: string, hosts: ReadonlySet<string>): boolean {
  try {
    const url = new URL(origin);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return false;
    const port = url.port || (url.protocol === 'https:' ? '443' : '80');
    return hosts.has(`${url.hostname.toLowerCase()}:${port}`);
  } catch {
    return false; // "null", or not a URL
  }
}
