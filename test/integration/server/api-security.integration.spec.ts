import { expect } from 'chai';
import { personalityInput, send, startApiFixture, type ApiFixture } from './api-client';

describe('Feature: the HTTP API refuses who and what it must, in the CLI error document', function () {
  let f: ApiFixture;
  beforeEach(async function () {
    f = await startApiFixture();
  });
  afterEach(async function () {
    await f.dispose();
  });

  it('no token, a forged token and a revoked token are 401 UNAUTHENTICATED', async function () {
    const { api, tc } = f;
    const none = await api('/api/v1/personalities');
    expect(none.status).to.equal(401);
    expect(none.headers['www-authenticate']).to.equal('Bearer');
    expect(none.body).to.deep.include({ ok: false });
    expect(none.body.error.code).to.equal('UNAUTHENTICATED');
    expect(none.body.error.details).to.be.an('array');
    expect((await api('/api/v1/personalities', { token: 'acfg_forged' })).status).to.equal(401);
    expect((await api('/api/v1/personalities', { headers: { authorization: 'Basic YWRtaW46YWRtaW4=' } })).status).to.equal(401);
    const { secret } = await tc.configuration.createToken({ name: 'short-lived', access: 'admin' });
    expect((await api('/api/v1/personalities', { token: secret })).status).to.equal(200);
    await tc.configuration.revokeToken('short-lived');
    const revoked = await api('/api/v1/personalities', { token: secret });
    expect(revoked.status).to.equal(401);
    expect(revoked.body.error.code).to.equal('UNAUTHENTICATED');
  });

  it("a viewer's write is 403 FORBIDDEN, and the denial is in the audit trail under the token's name", async function () {
    const { api, tokens } = f;
    const denied = await api('/api/v1/personalities', { method: 'POST', token: tokens.viewer, body: personalityInput('not-allowed') });
    expect(denied.status).to.equal(403);
    expect(denied.body.error.code).to.equal('FORBIDDEN');
    const audit = await api('/api/v1/audit?actor=viewer-token', { token: tokens.admin });
    const denials = audit.body.data.filter((e: { outcome: string }) => e.outcome !== 'success' && e.outcome !== 'ok');
    expect(denials, JSON.stringify(audit.body.data)).to.have.length.greaterThan(0);
    expect(denials[0].actor).to.equal('viewer-token');
    // and the audit itself is for admins only
    expect((await api('/api/v1/audit', { token: tokens.editor })).status).to.equal(403);
  });

  it("a change made with a token is audited with the token's name", async function () {
    const { api, tokens, tc } = f;
    await api('/api/v1/personalities', { method: 'POST', token: tokens.editor, body: personalityInput('by-token') });
    const entries = await tc.configuration.auditEntries({ target: 'personality:by-token' });
    expect(entries.map((e) => e.actor)).to.deep.equal(['editor-token']);
  });

  it('maps errors: 404 NOT_FOUND, 409 CONFLICT with the current record, 422 naming fields, 400 for a malformed request', async function () {
    const { api, tokens } = f;
    const token = tokens.editor;
    const missing = await api('/api/v1/roles/no-such-role', { token });
    expect(missing.status).to.equal(404);
    expect(missing.body.error.code).to.equal('NOT_FOUND');

    await api('/api/v1/personalities', { method: 'POST', token, body: personalityInput('contested') });
    await api('/api/v1/personalities/contested', { method: 'PATCH', token, body: { openness: 60 }, headers: { 'if-match': '"1"' } });
    const conflict = await api('/api/v1/personalities/contested', { method: 'PATCH', token, body: { openness: 70 }, headers: { 'if-match': '"1"' } });
    expect(conflict.status).to.equal(409);
    expect(conflict.body.error.code).to.equal('CONFLICT');
    expect(conflict.body.error.current).to.include({ id: 'contested', version: 2, openness: 60 });
    const merged = await api('/api/v1/personalities/contested?strategy=last-write-wins', { method: 'PATCH', token, body: { openness: 70 }, headers: { 'if-match': '"1"' } });
    expect(merged.status, merged.text).to.equal(200);
    expect(merged.body.data).to.include({ openness: 70, version: 3 });

    const invalid = await api('/api/v1/personalities', { method: 'POST', token, body: { name: 'Bad', openness: 101, extraversion: 'high' } });
    expect(invalid.status).to.equal(422);
    expect(invalid.body.error.code).to.equal('VALIDATION_ERROR');
    expect(invalid.body.error.details.map((d: { path: string }) => d.path)).to.include.members(['openness', 'extraversion']);
    const badPatch = await api('/api/v1/personalities/contested', { method: 'PATCH', token, body: { openness: -1 } });
    expect(badPatch.status).to.equal(422);
    expect(badPatch.body.error.details.map((d: { path: string }) => d.path)).to.include('openness');
    const dangling = await api('/api/v1/agents', { method: 'POST', token, body: { name: 'Orphan', personalityId: 'nobody', roleId: 'technical-advisor', color: '#AA5500', modelConfig: { provider: 'anthropic', modelId: 'claude-3-5-haiku-latest' } } });
    expect(dangling.status).to.equal(422);
    expect(dangling.body.error.code).to.equal('REFERENCE_ERROR');
    expect(dangling.body.error.details.map((d: { path: string }) => d.path)).to.include('personalityId');

    const badJson = await api('/api/v1/personalities', { method: 'POST', token, rawBody: '{"name":' });
    expect(badJson.status).to.equal(400);
    expect(badJson.body.error.code).to.equal('USAGE_ERROR');
    const badIfMatch = await api('/api/v1/personalities/contested', { method: 'PATCH', token, body: {}, headers: { 'if-match': 'three' } });
    expect(badIfMatch.status).to.equal(400);
    expect(badIfMatch.body.error.details[0].path).to.equal('headers.if-match');
    const badStrategy = await api('/api/v1/personalities/contested?strategy=coin-flip', { method: 'PATCH', token, body: {} });
    expect(badStrategy.status).to.equal(400);
    expect(badStrategy.body.error.details[0].path).to.equal('query.strategy');
    const noRoute = await api('/api/v1/nothing-here', { token });
    expect(noRoute.status).to.equal(404);
    expect(noRoute.body.error.code).to.equal('NOT_FOUND');
  });

  it('ETag and If-Match round trip: the ETag of a GET is the If-Match that a PATCH succeeds with, once', async function () {
    const { api, tokens } = f;
    const token = tokens.editor;
    await api('/api/v1/personalities', { method: 'POST', token, body: personalityInput('tagged') });
    const first = await api('/api/v1/personalities/tagged', { token });
    const ok = await api('/api/v1/personalities/tagged', { method: 'PATCH', token, body: { agreeableness: 80 }, headers: { 'if-match': first.headers.etag! } });
    expect(ok.status).to.equal(200);
    const again = await api('/api/v1/personalities/tagged', { method: 'PATCH', token, body: { agreeableness: 10 }, headers: { 'if-match': first.headers.etag! } });
    expect(again.status).to.equal(409);
    expect(again.body.error.current.agreeableness).to.equal(80);
    const now = await api('/api/v1/personalities/tagged', { token });
    expect(now.headers.etag).to.equal(ok.headers.etag);
    expect(now.body.data.agreeableness).to.equal(80);
  });

  it('refuses a foreign Host header (DNS rebinding) with 421 before authenticating', async function () {
    const { server, tokens } = f;
    const foreign = await send(server.url, '/api/v1/personalities', { token: tokens.admin, headers: { host: `evil.example:${server.port}` } });
    expect(foreign.status).to.equal(421);
    expect(foreign.body.error.code).to.equal('MISDIRECTED_REQUEST');
    const otherPort = await send(server.url, '/api/v1/personalities', { token: tokens.admin, headers: { host: `127.0.0.1:${server.port + 1}` } });
    expect(otherPort.status).to.equal(421);
    const loopbackName = await send(server.url, '/api/v1/personalities', { token: tokens.admin, headers: { host: `localhost:${server.port}` } });
    expect(loopbackName.status).to.equal(200);
  });

  it('refuses a cross-origin POST with 403 and writes nothing; its own origin is accepted', async function () {
    const { api, tokens, server } = f;
    const cross = await api('/api/v1/personalities', { method: 'POST', token: tokens.admin, body: personalityInput('from-evil'), headers: { origin: 'http://evil.example' } });
    expect(cross.status).to.equal(403);
    expect(cross.body.error.code).to.equal('FORBIDDEN');
    expect(cross.body.error.details[0].path).to.equal('headers.origin');
    expect((await api('/api/v1/personalities', { method: 'POST', token: tokens.admin, body: personalityInput('from-null'), headers: { origin: 'null' } })).status).to.equal(403);
    expect((await api('/api/v1/personalities/from-evil', { token: tokens.admin })).status).to.equal(404);
    const own = await api('/api/v1/personalities', { method: 'POST', token: tokens.admin, body: personalityInput('from-home'), headers: { origin: server.url } });
    expect(own.status).to.equal(201);
  });

  it('every response carries a strict CSP, nosniff and no-referrer; JSON is never cached', async function () {
    const { api, tokens } = f;
    for (const response of [await api('/api/v1/roles', { token: tokens.viewer }), await api('/api/v1/roles'), await api('/api/v1/roles/none', { token: tokens.viewer })]) {
      const csp = String(response.headers['content-security-policy']);
      expect(csp).to.include("default-src 'self'");
      expect(csp).to.include("frame-ancestors 'none'");
      expect(csp).to.include("object-src 'none'");
      expect(csp).not.to.include('unsafe-inline');
      expect(response.headers['x-content-type-options']).to.equal('nosniff');
      expect(response.headers['referrer-policy']).to.equal('no-referrer');
      expect(response.headers['cache-control']).to.equal('no-store');
      expect(response.headers['access-control-allow-origin']).to.equal(undefined);
    }
  });

  it('stores a personality named <img src=x onerror=alert(1)> and returns it as JSON text, never markup', async function () {
    const { api, tokens } = f;
    const name = '<img src=x onerror=alert(1)>';
    const created = await api('/api/v1/personalities', { method: 'POST', token: tokens.editor, body: { ...personalityInput('xss'), name } });
    expect(created.status, created.text).to.equal(201);
    const got = await api('/api/v1/personalities/xss', { token: tokens.viewer });
    expect(got.headers['content-type']).to.match(/^application\/json/);
    expect(got.body.data.name).to.equal(name);
    expect(got.text).not.to.include('<img');
    expect(got.text).to.include('\\u003cimg src=x onerror=alert(1)\\u003e');
  });

  it('logs a browser in: a token or a one-time code sets an HttpOnly SameSite=Strict cookie that then authenticates', async function () {
    const { api, tokens, server } = f;
    const login = await api('/api/v1/session', { method: 'POST', body: { token: tokens.editor } });
    expect(login.status).to.equal(200);
    expect(login.body.data).to.deep.equal({ actor: 'editor-token', access: 'editor' });
    const cookie = String(login.headers['set-cookie']?.[0]);
    expect(cookie).to.match(/^agentcfg_session=[\w-]{43};/);
    expect(cookie).to.include('HttpOnly');
    expect(cookie).to.include('SameSite=Strict');
    expect(cookie).not.to.include('Secure');
    const session = cookie.split(';')[0]!;
    const created = await api('/api/v1/personalities', { method: 'POST', body: personalityInput('by-cookie'), headers: { cookie: session } });
    expect(created.status).to.equal(201);
    const whoami = await api('/api/v1/session', { headers: { cookie: session } });
    expect(whoami.body.data).to.deep.equal({ actor: 'editor-token', access: 'editor' });
    expect((await api('/api/v1/session', { method: 'DELETE', headers: { cookie: session } })).status).to.equal(200);
    expect((await api('/api/v1/personalities', { headers: { cookie: session } })).status).to.equal(401);
    expect((await api('/api/v1/session', { method: 'POST', body: { token: 'acfg_forged' } })).status).to.equal(401);
    expect((await api('/api/v1/personalities', { headers: { cookie: 'agentcfg_session=made-up' } })).status).to.equal(401);

    const link = server.loginLink({ actor: 'operator', access: 'admin' });
    expect(link.startsWith(`${server.url}/login#`)).to.equal(true);
    const code = link.split('#')[1]!;
    const once = await api('/api/v1/session', { method: 'POST', body: { code } });
    expect(once.status).to.equal(200);
    expect(once.body.data).to.deep.equal({ actor: 'operator', access: 'admin' });
    const twice = await api('/api/v1/session', { method: 'POST', body: { code } });
    expect(twice.status).to.equal(401);
  });
});
