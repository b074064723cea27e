import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { IConfigurationService } from '../services/configuration/configuration-service';
import type { Principal } from '../security/security-context';
import { HttpError, HttpErrorCode } from './http-error';
import type { SessionRegistry } from './sessions';

/** The cookie a browser session is kept in. */
export const SESSION_COOKIE = 'agentcfg_session';

/** Who an access token's secret acts for: the configuration service's token check. */
export type TokenAuthenticator = (secret: string) => Promise<Principal | null>;

/** The service's `authenticateToken`, bound. */
export function tokenAuthenticator(configuration: IConfigurationService): TokenAuthenticator {
  return (secret) => configuration.authenticateToken(secret);
}

const scoped = new WeakMap<FastifyRequest, IConfigurationService>();

/** The configuration service acting for the request's principal (set by authentication). */
export function configurationFor(request: FastifyRequest): IConfigurationService {
  const configuration = scoped.get(request);
  if (!configuration) throw new HttpError(401, HttpErrorCode.UNAUTHENTICATED, 'authentication required');
  return configuration;
}

/** Requests that need no credentials: logging in. */
function isPublic(request: FastifyRequest): boolean {
  return request.method === 'POST' && request.routeOptions.url === '/api/v1/session';
}

/** The secret of an `Authorization: Bearer <secret>` header; null without one; 401 for another scheme. */
function bearerOf(request: FastifyRequest): string | null {
  const header = request.headers.authorization;
  if (header === undefined) return null;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!match) throw new HttpError(401, HttpErrorCode.UNAUTHENTICATED, 'the Authorization header must be "Bearer <token>"', [{ path: 'headers.authorization', message: 'must be "Bearer <token>"' }]);
  return match[1]!;
}

/**
 * Every /api request acts for a principal: an access token's (`Authorization: Bearer`), else a browser session's
 * (the session cookie). Each gets the configuration service acting for that principal, with the request's id, so
 * every change and denial is audited with the token's name and tied to the request.
 */
export function registerAuthentication(app: FastifyInstance, configuration: IConfigurationService, sessions: SessionRegistry): void {
  const authenticate = tokenAuthenticator(configuration);
  app.addHook('onRequest', async (request: FastifyRequest) => {
    if (!request.url.startsWith('/api/') || isPublic(request)) return;
    const secret = bearerOf(request);
    let principal: Principal | null;
    if (secret !== null) {
      principal = await authenticate(secret);
      if (!principal) throw new HttpError(401, HttpErrorCode.UNAUTHENTICATED, 'the access token is unknown, malformed or revoked');
    } else {
      const session = (request as FastifyRequest & { cookies?: Record<string, string | undefined> }).cookies?.[SESSION_COOKIE];
      principal = session ? sessions.principalOf(session) : null;
      if (!principal) throw new HttpError(401, HttpErrorCode.UNAUTHENTICATED, 'authentication required: send "Authorization: Bearer <token>", or log in for a session cookie');
    }
    scoped.set(request, configuration.as({ actor: principal.actor, access: principal.access, requestId: request.id }));
  });
}
