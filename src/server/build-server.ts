import Fastify, { type FastifyInstance } from 'fastify';
import fastifyCookie from '@fastify/cookie';
import fastifySwagger from '@fastify/swagger';
import { jsonSchemaTransform } from 'fastify-type-provider-zod';
import { RECORD_KINDS } from '../domain/kinds/registry';
import type { IConfigurationService } from '../services/configuration/configuration-service';
import { registerAuthentication, tokenAuthenticator } from './authentication';
import { registerConsoleRoutes } from './console-routes';
import { errorResponse } from './error-document';
import { HttpError } from './http-error';
import { registerEventRoutes } from './routes/event-routes';
import { registerOperationRoutes } from './routes/operation-routes';
import { registerRecordRoutes } from './routes/record-routes';
import { registerSessionRoutes } from './routes/session-routes';
import { safeJson, zodValidatorCompiler } from './schema-compilers';
import { registerSecurityHooks } from './security-hooks';
import type { SessionRegistry } from './sessions';

/** The largest request body: a bundle to import may be as large as an import file. */
export const BODY_LIMIT_BYTES = 10 * 1024 * 1024;

/** What the app is built from. */
export interface BuildOptions {
  configuration: IConfigurationService;
  sessions: SessionRegistry;
  /** Host header values (`host:port`) the server answers to; known once it listens. */
  hosts: () => ReadonlySet<string>;
  /** Told about each unexpected (500) error, with its stack; the response never carries it. */
  onInternalError?: (error: unknown) => void;
}

/** An API route as Fastify registered it (the console's pages and assets are left out). */
export interface RegisteredRoute {
  method: string;
  url: string;
}

/**
 * The HTTP API as a Fastify app (not listening yet): security hooks, authentication, the routes of every kind
 * of the registry and the other operations, the OpenAPI document, the web console; errors as the CLI's error document.
 */
export async function buildServer(options: BuildOptions): Promise<{ app: FastifyInstance; routes: RegisteredRoute[] }> {
  const app = Fastify({ logger: false, bodyLimit: BODY_LIMIT_BYTES, exposeHeadRoutes: false, return503OnClosing: true });
  const routes: RegisteredRoute[] = [];
  app.addHook('onRoute', (route) => {
    if (!route.url.startsWith('/api/')) return; // the console's pages and assets are not part of the API
    for (const method of [route.method].flat()) routes.push({ method, url: route.url });
  });
  app.setValidatorCompiler(zodValidatorCompiler);
  // Response schemas describe the API; replies are sent as they are, escaped.
  app.setSerializerCompiler(() => (data) => safeJson(data));
  app.setReplySerializer((payload) => safeJson(payload));
  app.setErrorHandler(async (error, _request, reply) => {
    const { status, body } = errorResponse(error);
    if (status >= 500 && body.error.code === 'INTERNAL_ERROR') options.onInternalError?.(error);
    if (status === 401) reply.header('www-authenticate', 'Bearer');
    return reply.code(status).type('application/json; charset=utf-8').send(body);
  });
  app.setNotFoundHandler(async (request) => {
    throw new HttpError(404, 'NOT_FOUND', `no route ${request.method} ${request.url.split('?')[0]}`);
  });

  registerSecurityHooks(app, { hosts: options.hosts });
  await app.register(fastifyCookie);
  registerAuthentication(app, options.configuration, options.sessions);
  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'agentcfg HTTP API', version: '1', description: 'Records of every kind, agent resolution, workflows, verify, audit, export and import. Every request needs `Authorization: Bearer <token>` or a session cookie.' },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' }, session: { type: 'apiKey', in: 'cookie', name: 'agentcfg_session' } } },
      security: [{ bearer: [] }, { session: [] }],
    },
    transform: jsonSchemaTransform,
  });

  for (const kind of RECORD_KINDS) registerRecordRoutes(app, kind);
  registerOperationRoutes(app);
  registerEventRoutes(app);
  registerSessionRoutes(app, options.sessions, tokenAuthenticator(options.configuration));
  app.get('/api/v1/openapi.json', { schema: { tags: ['server'], summary: 'this document' } }, async () => app.swagger());
  registerConsoleRoutes(app);
  await app.ready();
  return { app, routes };
}

