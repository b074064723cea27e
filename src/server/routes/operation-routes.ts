import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { NotFoundError } from '../../domain/errors/errors';
import { auditFilterSchema } from '../../audit/audit-filter';
import { ON_CONFLICT } from '../../services/configuration/import-plan';
import { configurationFor } from '../authentication';
import { errorSchema, sendData, successSchema } from '../replies';

const errors = { 400: errorSchema, 401: errorSchema, 403: errorSchema, 404: errorSchema, 409: errorSchema, 422: errorSchema, 503: errorSchema };
const anything = z.unknown();
const idParams = z.object({ id: z.string().min(1).max(200) });

/** Agent resolution, workflows, verify, audit, export and import: what the CLI offers beside the records. */
export function registerOperationRoutes(app: FastifyInstance): void {
  const routes = app.withTypeProvider<ZodTypeProvider>();

  routes.get('/api/v1/agents/:id/resolved', { schema: { tags: ['agents'], summary: 'the agent, what it is built from and the system prompt an app sends', params: idParams, response: { 200: successSchema(anything), ...errors } } }, async (request, reply) => {
    const configuration = configurationFor(request);
    return sendData(reply, configuration, await configuration.resolveAgent(request.params.id));
  });

  const definition = z.record(z.string(), z.unknown()).describe('a workflow definition: { name, steps: [{ id, service, action, input }] }');
  routes.post('/api/v1/workflows', { schema: { tags: ['workflows'], summary: 'run a workflow: COMPLETED, COMPENSATED or FAILED', body: definition, response: { 201: successSchema(anything), ...errors } } }, async (request, reply) => {
    const configuration = configurationFor(request);
    const run = await configuration.runWorkflow(request.body);
    return sendData(reply, configuration, run, { status: 201, location: `/api/v1/workflows/${encodeURIComponent(run.id)}` });
  });

  routes.get('/api/v1/workflows', { schema: { tags: ['workflows'], summary: 'every workflow run', response: { 200: successSchema(z.array(anything)), ...errors } } }, async (request, reply) => {
    const configuration = configurationFor(request);
    return sendData(reply, configuration, await configuration.listWorkflows());
  });

  routes.get('/api/v1/workflows/:id', { schema: { tags: ['workflows'], summary: 'one workflow run: its steps, attempts and compensations', params: idParams, response: { 200: successSchema(anything), ...errors } } }, async (request, reply) => {
    const configuration = configurationFor(request);
    const run = await configuration.getWorkflow(request.params.id);
    if (!run) throw new NotFoundError('workflow', request.params.id, { service: 'http', operation: 'get' });
    return sendData(reply, configuration, run);
  });

  routes.get('/api/v1/verify', { schema: { tags: ['consistency'], summary: 'check files, references, resolutions, workflows and the audit chain; changes nothing', response: { 200: successSchema(anything), ...errors } } }, async (request, reply) => {
    const configuration = configurationFor(request);
    return sendData(reply, configuration, await configuration.verify());
  });

  routes.get('/api/v1/audit', { schema: { tags: ['audit'], summary: 'audit entries, oldest first (admins only)', querystring: auditFilterSchema, response: { 200: successSchema(z.array(anything)), ...errors } } }, async (request, reply) => {
    const configuration = configurationFor(request);
    return sendData(reply, configuration, await configuration.auditEntries(request.query));
  });

  routes.get('/api/v1/audit/verify', { schema: { tags: ['audit'], summary: "check the audit log's hash chain (data.ok false names the first bad line)", response: { 200: successSchema(anything), ...errors } } }, async (request, reply) => {
    const configuration = configurationFor(request);
    return sendData(reply, configuration, await configuration.verifyAudit());
  });

  routes.get('/api/v1/export', { schema: { tags: ['bundles'], summary: "the user's records (templates left out) as a bundle", response: { 200: successSchema(anything), ...errors } } }, async (request, reply) => {
    const configuration = configurationFor(request);
    return sendData(reply, configuration, await configuration.exportBundle());
  });

  const importBody = z.object({
    bundle: z.record(z.string(), z.unknown()).describe('a bundle, as GET /export gives it'),
    onConflict: z.enum(ON_CONFLICT).optional().describe('a taken id: fail (409, the default), skip, overwrite or rename'),
  });
  routes.post('/api/v1/import', { schema: { tags: ['bundles'], summary: 'create every record of a bundle, all or nothing', body: importBody, response: { 200: successSchema(anything), ...errors } } }, async (request, reply) => {
    const configuration = configurationFor(request);
    const { bundle, onConflict } = request.body;
    return sendData(reply, configuration, await configuration.importBundle(bundle, onConflict === undefined ? {} : { onConflict }));
  });

  routes.get('/api/v1/health', { schema: { tags: ['server'], summary: 'whether the store is degraded (reads served from the last snapshot)', response: { 200: successSchema(anything), ...errors } } }, async (request, reply) => {
    const configuration = configurationFor(request);
    return sendData(reply, configuration, { status: 'ok', ...configuration.health() });
  });
}
