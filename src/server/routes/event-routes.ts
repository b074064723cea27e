import type { FastifyInstance } from 'fastify';
import type { ServerResponse } from 'node:http';
import { RECORD_KINDS } from '../../domain/kinds/registry';
import type { ChangeEvent } from '../../storage/change-feed';
import { configurationFor } from '../authentication';
import { safeJson } from '../schema-compilers';
import { setSecurityHeaders } from '../security-hooks';

/** How often an idle stream sends a comment, so proxies and browsers keep it open. */
export const KEEP_ALIVE_MS = 15_000;

/**
 * `GET /api/v1/events`: server-sent events, one `change` event per ChangeEvent of any kind, whoever made the change
 * (this server, the CLI, another process on the same folder or database). Streams end when the server closes.
 */
export function registerEventRoutes(app: FastifyInstance): void {
  const streams = new Set<ServerResponse>();
  app.addHook('preClose', async () => {
    for (const stream of streams) stream.end();
  });

  app.get('/api/v1/events', { schema: { tags: ['events'], summary: 'server-sent events: one `change` event per record created, updated or deleted by any process', produces: ['text/event-stream'] } }, async (request, reply) => {
    const configuration = configurationFor(request);
    reply.hijack();
    const response = reply.raw;
    setSecurityHeaders(response);
    response.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', connection: 'keep-alive', 'x-accel-buffering': 'no' });
    response.write(': connected\n\n');
    streams.add(response);
    const send = (event: ChangeEvent) => response.write(`event: change\ndata: ${safeJson(event)}\n\n`);
    const subscriptions = RECORD_KINDS.map((kind) => configuration.onDidChange(kind, send));
    const keepAlive = setInterval(() => response.write(': keep-alive\n\n'), KEEP_ALIVE_MS);
    keepAlive.unref();
    const stop = () => {
      clearInterval(keepAlive);
      subscriptions.forEach((s) => s.dispose());
      streams.delete(response);
    };
    request.raw.once('close', stop);
    response.once('close', stop);
  });
}
