import { expect } from 'chai';
import { KINDS, RECORD_KINDS, type RecordKind } from '../../../src/domain/kinds/registry';
import { personalityInput, startApiFixture, type ApiFixture } from './api-client';

/** A valid create body of each kind of the registry (a kind added without one fails here). */
const INPUTS: Record<RecordKind, (id: string) => Record<string, unknown>> = {
  personality: (id) => personalityInput(id),
  role: (id) => ({ id, name: `Role ${id}`, systemPrompt: 'You review code.' }),
  connection: (id) => ({ id, name: `Connection ${id}`, provider: 'ollama', baseUrl: 'http://127.0.0.1:11434' }),
  agent: (id) => ({ id, name: `Agent ${id}`, personalityId: 'balanced', roleId: 'technical-advisor', color: '#AA5500', modelConfig: { provider: 'anthropic', modelId: 'claude-3-5-haiku-latest' } }),
};

describe('Feature: the HTTP API serves every route over a real configuration service', function () {
  let f: ApiFixture;
  beforeEach(async function () {
    f = await startApiFixture();
  });
  afterEach(async function () {
    await f.dispose();
  });

  for (const kind of RECORD_KINDS) {
    const plural = KINDS[kind].plural;
    it(`serves /api/v1/${plural}: create, list, get, patch, history, restore and delete, with ETags`, async function () {
      const { api, tokens } = f;
      const token = tokens.admin;
      const created = await api(`/api/v1/${plural}`, { method: 'POST', token, body: INPUTS[kind](`http-${kind}`) });
      expect(created.status, created.text).to.equal(201);
      expect(created.headers.location).to.equal(`/api/v1/${plural}/http-${kind}`);
      expect(created.headers.etag).to.equal('"1"');
      expect(created.body).to.include({ ok: true });
      expect(created.body.data).to.include({ id: `http-${kind}`, version: 1 });

      const list = await api(`/api/v1/${plural}`, { token });
      expect(list.status).to.equal(200);
      expect(list.body.data.map((r: { id: string }) => r.id)).to.include(`http-${kind}`);

      const got = await api(`/api/v1/${plural}/http-${kind}`, { token });
      expect(got.status).to.equal(200);
      expect(got.headers.etag).to.equal('"1"');
      expect(got.headers['content-type']).to.match(/^application\/json/);

      const patched = await api(`/api/v1/${plural}/http-${kind}`, { method: 'PATCH', token, body: { name: `Renamed ${kind}` }, headers: { 'if-match': got.headers.etag! } });
      expect(patched.status, patched.text).to.equal(200);
      expect(patched.headers.etag).to.equal('"2"');
      expect(patched.body.data).to.include({ name: `Renamed ${kind}`, version: 2 });

      const history = await api(`/api/v1/${plural}/http-${kind}/history`, { token });
      expect(history.status).to.equal(200);
      expect(history.body.data.map((r: { version: number }) => r.version)).to.deep.equal([1]);

      const restored = await api(`/api/v1/${plural}/http-${kind}/restore`, { method: 'POST', token, body: { version: 1 } });
      expect(restored.status, restored.text).to.equal(200);
      expect(restored.headers.etag).to.equal('"3"');
      expect(restored.body.data).to.include({ name: INPUTS[kind](`http-${kind}`).name, version: 3 });

      const stale = await api(`/api/v1/${plural}/http-${kind}`, { method: 'DELETE', token, headers: { 'if-match': '"2"' } });
      expect(stale.status).to.equal(409);
      const deleted = await api(`/api/v1/${plural}/http-${kind}`, { method: 'DELETE', token, headers: { 'if-match': '"3"' } });
      expect(deleted.status, deleted.text).to.equal(200);
      expect((await api(`/api/v1/${plural}/http-${kind}`, { token })).status).to.equal(404);
    });
  }

  it('resolves an agent: GET /agents/{id}/resolved gives its system prompt', async function () {
    const { api, tokens } = f;
    await api('/api/v1/agents', { method: 'POST', token: tokens.editor, body: INPUTS.agent('resolver') });
    const resolved = await api('/api/v1/agents/resolver/resolved', { token: tokens.viewer });
    expect(resolved.status).to.equal(200);
    expect(resolved.body.data.agent.id).to.equal('resolver');
    expect(resolved.body.data.role.id).to.equal('technical-advisor');
    expect(resolved.body.data.systemPrompt).to.be.a('string').and.not.equal('');
  });

  it('runs, lists and shows workflows: POST /workflows is 201 with its Location, GET finds it', async function () {
    const { api, tokens } = f;
    const definition = { name: 'http-run', steps: [{ id: 'p', service: 'personality', action: 'create', input: personalityInput('wf-made') }] };
    const run = await api('/api/v1/workflows', { method: 'POST', token: tokens.admin, body: definition });
    expect(run.status, run.text).to.equal(201);
    expect(run.body.data.status).to.equal('COMPLETED');
    expect(run.headers.location).to.equal(`/api/v1/workflows/${run.body.data.id}`);
    const list = await api('/api/v1/workflows', { token: tokens.admin });
    expect(list.body.data.map((r: { id: string }) => r.id)).to.include(run.body.data.id);
    const one = await api(run.headers.location!, { token: tokens.admin });
    expect(one.status).to.equal(200);
    expect(one.body.data).to.include({ id: run.body.data.id, name: 'http-run' });
    expect((await api('/api/v1/workflows/no-such-run', { token: tokens.admin })).status).to.equal(404);
    expect((await api('/api/v1/personalities/wf-made', { token: tokens.viewer })).status).to.equal(200);
  });

  it('verifies, lists and verifies the audit trail (filtered by actor, target and since), and reports health', async function () {
    const { api, tokens } = f;
    await api('/api/v1/personalities', { method: 'POST', token: tokens.editor, body: personalityInput('audited') });
    const verify = await api('/api/v1/verify', { token: tokens.viewer });
    expect(verify.status).to.equal(200);
    expect(verify.body.data).to.have.property('consistent', true);
    const audit = await api('/api/v1/audit?actor=editor-token&target=personality:audited&since=2000-01-01', { token: tokens.admin });
    expect(audit.status, audit.text).to.equal(200);
    expect(audit.body.data).to.have.length.greaterThan(0);
    expect(audit.body.data.every((e: { actor: string; target?: { id: string } }) => e.actor === 'editor-token' && e.target?.id === 'audited')).to.equal(true);
    const none = await api('/api/v1/audit?actor=nobody', { token: tokens.admin });
    expect(none.body.data).to.deep.equal([]);
    const badSince = await api('/api/v1/audit?since=yesterday', { token: tokens.admin });
    expect(badSince.status).to.equal(400);
    expect(badSince.body.error.details.map((d: { path: string }) => d.path)).to.deep.equal(['query.since']);
    const chain = await api('/api/v1/audit/verify', { token: tokens.admin });
    expect(chain.status).to.equal(200);
    expect(chain.body.data.ok).to.equal(true);
    const health = await api('/api/v1/health', { token: tokens.viewer });
    expect(health.status).to.equal(200);
    expect(health.body.data).to.include({ status: 'ok', degraded: false });
  });

  it('exports the user records and imports them back (onConflict honoured)', async function () {
    const { api, tokens } = f;
    await api('/api/v1/personalities', { method: 'POST', token: tokens.editor, body: personalityInput('bundled') });
    const exported = await api('/api/v1/export', { token: tokens.viewer });
    expect(exported.status).to.equal(200);
    expect(exported.body.data.personalities.map((p: { id: string }) => p.id)).to.deep.equal(['bundled']);
    const refused = await api('/api/v1/import', { method: 'POST', token: tokens.editor, body: { bundle: exported.body.data } });
    expect(refused.status).to.equal(409);
    const skipped = await api('/api/v1/import', { method: 'POST', token: tokens.editor, body: { bundle: exported.body.data, onConflict: 'rename' } });
    expect(skipped.status, skipped.text).to.equal(200);
    expect(skipped.body.data.result.personalities).to.equal(1);
    const list = await api('/api/v1/personalities', { token: tokens.viewer });
    expect(list.body.data.filter((p: { isTemplate: boolean }) => !p.isTemplate)).to.have.length(2);
  });
});
