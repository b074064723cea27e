import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { CONFLICT_STRATEGIES } from '../../domain/conflict/resolve-update';
import { NotFoundError } from '../../domain/errors/errors';
import { kindOf, type RecordKind } from '../../domain/kinds/registry';
import type { KindDefinition } from '../../domain/kinds/kind';
import type { IConfigurationService } from '../../services/configuration/configuration-service';
import { configurationFor } from '../authentication';
import { errorSchema, expectedVersionOf, ifMatchHeaders, sendData, successSchema } from '../replies';

/** A stored record as every kind has it. */
interface StoredRecord {
  id: string;
  version: number;
}

/** The operations of one kind, without its types: the routes treat every kind alike. */
interface AnyRecords {
  list(): Promise<StoredRecord[]>;
  get(id: string): Promise<StoredRecord | null>;
  create(input: unknown): Promise<StoredRecord>;
  update(id: string, patch: unknown, options: { expectedVersion?: number; strategy?: (typeof CONFLICT_STRATEGIES)[number] }): Promise<StoredRecord>;
  delete(id: string, options: { expectedVersion?: number; cascade?: boolean }): Promise<StoredRecord>;
  history(id: string): Promise<StoredRecord[]>;
  restore(id: string, version: number): Promise<StoredRecord>;
}

function recordsOf(configuration: IConfigurationService, kind: RecordKind): AnyRecords {
  return configuration.records(kind) as unknown as AnyRecords;
}

const idParams = z.object({ id: z.string().min(1).max(200) });
const errors = { 400: errorSchema, 401: errorSchema, 403: errorSchema, 404: errorSchema, 409: errorSchema, 422: errorSchema, 503: errorSchema };

/**
 * The routes of one kind of record, under its plural: list, get, create, update (a JSON merge patch, `If-Match`
 * the version it was made against), delete, history and restore. A record's version is its ETag.
 */
export function registerRecordRoutes(app: FastifyInstance, kind: RecordKind): void {
  const definition = kindOf(kind) as KindDefinition;
  const base = `/api/v1/${definition.plural}`;
  const record = definition.recordSchema as z.ZodType;
  const tags = [definition.plural];
  const routes = app.withTypeProvider<ZodTypeProvider>();
  const recordResponse = { 200: successSchema(record), ...errors };

  routes.get(base, { schema: { tags, summary: `list every ${kind}, templates included`, response: { 200: successSchema(z.array(record)), ...errors } } }, async (request, reply) => {
    const configuration = configurationFor(request);
    return sendData(reply, configuration, await recordsOf(configuration, kind).list());
  });

  routes.get(`${base}/:id`, { schema: { tags, summary: `one ${kind}; its ETag is its version`, params: idParams, response: recordResponse } }, async (request, reply) => {
    const configuration = configurationFor(request);
    const found = await recordsOf(configuration, kind).get(request.params.id);
    if (!found) throw new NotFoundError(kind, request.params.id, { service: 'http', operation: 'get' });
    return sendData(reply, configuration, found, { version: found.version });
  });

  routes.post(base, { schema: { tags, summary: `create ${kind} (id optional)`, body: definition.createSchema, response: { 201: successSchema(record), ...errors } } }, async (request, reply) => {
    const configuration = configurationFor(request);
    const created = await recordsOf(configuration, kind).create(request.body);
    return sendData(reply, configuration, created, { status: 201, version: created.version, location: `${base}/${encodeURIComponent(created.id)}` });
  });

  const patchQuery = z.object({ strategy: z.enum(CONFLICT_STRATEGIES).optional().describe('when If-Match is not current: reject (409, the default), last-write-wins or merge') });
  const mergePatch = z.record(z.string(), z.unknown()).describe(`a JSON merge patch of the ${kind} (null removes an optional field)`);
  routes.patch(`${base}/:id`, { schema: { tags, summary: `change ${kind} with a JSON merge patch`, params: idParams, querystring: patchQuery, headers: ifMatchHeaders, body: mergePatch, response: recordResponse } }, async (request, reply) => {
    const configuration = configurationFor(request);
    const expectedVersion = expectedVersionOf(request.headers['if-match']);
    const options = { ...(expectedVersion === undefined ? {} : { expectedVersion }), ...(request.query.strategy ? { strategy: request.query.strategy } : {}) };
    const updated = await recordsOf(configuration, kind).update(request.params.id, request.body, options);
    return sendData(reply, configuration, updated, { version: updated.version });
  });

  const deleteQuery = definition.cascadeDelete
    ? z.object({ cascade: z.enum(['true', 'false']).optional().describe('first delete the records that use it, all or nothing') })
    : z.object({});
  routes.delete(`${base}/:id`, { schema: { tags, summary: `delete ${kind} (If-Match honoured)`, params: idParams, querystring: deleteQuery, headers: ifMatchHeaders, response: recordResponse } }, async (request, reply) => {
    const configuration = configurationFor(request);
    const expectedVersion = expectedVersionOf(request.headers['if-match']);
    const cascade = (request.query as { cascade?: string }).cascade === 'true';
    const deleted = await recordsOf(configuration, kind).delete(request.params.id, { ...(expectedVersion === undefined ? {} : { expectedVersion }), ...(cascade ? { cascade } : {}) });
    return sendData(reply, configuration, deleted);
  });

  routes.get(`${base}/:id/history`, { schema: { tags, summary: `the kept previous versions of ${kind}, oldest first`, params: idParams, response: { 200: successSchema(z.array(record)), ...errors } } }, async (request, reply) => {
    const configuration = configurationFor(request);
    return sendData(reply, configuration, await recordsOf(configuration, kind).history(request.params.id));
  });

  const restoreBody = z.object({ version: z.number().int().min(1).describe('the version to bring back') });
  routes.post(`${base}/:id/restore`, { schema: { tags, summary: `make an earlier version of ${kind} current again, as a new version`, params: idParams, body: restoreBody, response: recordResponse } }, async (request, reply) => {
    const configuration = configurationFor(request);
    const restored = await recordsOf(configuration, kind).restore(request.params.id, request.body.version);
    return sendData(reply, configuration, restored, { version: restored.version });
  });
}
