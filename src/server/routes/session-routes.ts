import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { configurationFor, SESSION_COOKIE, type TokenAuthenticator } from '../authentication';
import { HttpError, HttpErrorCode } from '../http-error';
import { errorSchema, sendData, successSchema } from '../replies';
import { SESSION_IDLE_MS, type SessionRegistry } from '../sessions';

const loginBody = z.union([
  z.object({ token: z.string().min(1).max(1000).describe('an access token') }).strict(),
  z.object({ code: z.string().min(1).max(200).describe('the one-time code of the link `agentcfg serve` prints') }).strict(),
]);
const principal = z.object({ actor: z.string(), access: z.enum(['viewer', 'editor', 'admin']) });

/**
 * Browser log-in: `POST /api/v1/session` with an access token, or the one-time code of the login link `serve`
 * prints, sets an HttpOnly, SameSite=Strict session cookie (Secure over https); `DELETE` logs out.
 */
export function registerSessionRoutes(app: FastifyInstance, sessions: SessionRegistry, authenticate: TokenAuthenticator): void {
  const routes = app.withTypeProvider<ZodTypeProvider>();
  routes.post('/api/v1/session', { schema: { tags: ['session'], summary: 'log in: a session cookie for a token or a one-time login code', body: loginBody, response: { 200: successSchema(principal), 401: errorSchema, 422: errorSchema } } }, async (request, reply) => {
    const body = request.body;
    const who = 'token' in body ? await authenticate(body.token) : sessions.redeemLoginCode(body.code);
    if (!who) throw new HttpError(401, HttpErrorCode.UNAUTHENTICATED, 'token' in body ? 'the access token is unknown, malformed or revoked' : 'the login code is unknown, used or expired');
    const id = sessions.open(who);
    reply.setCookie(SESSION_COOKIE, id, { httpOnly: true, sameSite: 'strict', secure: request.protocol === 'https', path: '/', maxAge: SESSION_IDLE_MS / 1000 });
    return reply.code(200).send({ ok: true, data: { actor: who.actor, access: who.access } });
  });

  routes.get('/api/v1/session', { schema: { tags: ['session'], summary: 'who this request acts for', response: { 200: successSchema(principal), 401: errorSchema } } }, async (request, reply) => {
    const configuration = configurationFor(request);
    return sendData(reply, configuration, { actor: configuration.principal.actor, access: configuration.principal.access });
  });

  routes.delete('/api/v1/session', { schema: { tags: ['session'], summary: 'log out: end the session and clear its cookie', response: { 200: successSchema(z.object({ loggedOut: z.boolean() })), 401: errorSchema } } }, async (request, reply) => {
    const configuration = configurationFor(request);
    const id = request.cookies[SESSION_COOKIE];
    if (id) sessions.close(id);
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return sendData(reply, configuration, { loggedOut: id !== undefined });
  });
}
