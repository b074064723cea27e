import { expect } from 'chai';
import { KINDS, RECORD_KINDS } from '../../../src/domain/kinds/registry';
import { startApiFixture, type ApiFixture } from './api-client';

const METHODS = ['get', 'put', 'post', 'patch', 'delete', 'head', 'options'];

describe('Feature: the OpenAPI document describes exactly the routes the server registered', function () {
  let f: ApiFixture;
  before(async function () {
    f = await startApiFixture();
  });
  after(async function () {
    await f.dispose();
  });

  it("GET /api/v1/openapi.json: its paths and methods equal Fastify's registered routes", async function () {
    const doc = await f.api('/api/v1/openapi.json', { token: f.tokens.viewer });
    expect(doc.status).to.equal(200);
    expect(doc.body.openapi).to.match(/^3\./);
    const documented = Object.entries(doc.body.paths as Record<string, Record<string, unknown>>)
      .flatMap(([path, operations]) => Object.keys(operations).filter((m) => METHODS.includes(m)).map((m) => `${m.toUpperCase()} ${path}`))
      .sort();
    const registered = f.server.routes.map((r) => `${r.method} ${r.url.replace(/:(\w+)/g, '{$1}')}`).sort();
    expect(registered.length).to.be.greaterThan(RECORD_KINDS.length * 7);
    expect(documented).to.deep.equal(registered);
  });

  it('describes every kind of the registry by its plural, with its create schema naming the fields', async function () {
    const doc = await f.api('/api/v1/openapi.json', { token: f.tokens.viewer });
    for (const kind of RECORD_KINDS) {
      const plural = KINDS[kind].plural;
      const create = doc.body.paths[`/api/v1/${plural}`]?.post;
      expect(create, plural).to.not.equal(undefined);
      const schema = create.requestBody.content['application/json'].schema;
      expect(Object.keys(schema.properties), plural).to.include.members(['id', 'name']);
      expect(Object.keys(doc.body.paths[`/api/v1/${plural}/{id}`]).sort()).to.deep.equal(['delete', 'get', 'patch']);
    }
  });
});
