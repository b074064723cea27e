import { expect } from 'chai';
import { send, startApiFixture, type ApiFixture } from '../server/api-client';

describe('Feature: agentcfg serve serves the built web console under the strict CSP', function () {
  let f: ApiFixture;
  before(async function () {
    f = await startApiFixture();
  });
  after(async function () {
    await f.dispose();
  });

  it('GET / and GET /login return the app page, uncached, with the CSP and no inline script or style', async function () {
    for (const path of ['/', '/login']) {
      const page = await send(f.server.url, path);
      expect(page.status, path).to.equal(200);
      expect(page.headers['content-type']).to.equal('text/html; charset=utf-8');
      expect(page.headers['cache-control']).to.equal('no-cache');
      expect(page.headers['content-security-policy']).to.include("script-src 'self'").and.not.include('unsafe-inline');
      expect(page.text).to.match(/<script type="module" crossorigin src="\/assets\/[\w-]+\.js"><\/script>/);
      expect(page.text).to.not.match(/<script(?![^>]*\ssrc=)[^>]*>/); // every script is a file
      expect(page.text).to.not.match(/<style|\sstyle=/);
    }
  });

  it('serves the hashed assets with their content types, cached for a year; other names are 404', async function () {
    const html = (await send(f.server.url, '/')).text;
    const assets = [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)].map((m) => m[1]!);
    expect(assets.some((a) => a.endsWith('.js'))).to.equal(true);
    expect(assets.some((a) => a.endsWith('.css'))).to.equal(true);
    for (const asset of assets) {
      const response = await send(f.server.url, asset);
      expect(response.status, asset).to.equal(200);
      expect(response.headers['content-type']).to.equal(asset.endsWith('.js') ? 'text/javascript; charset=utf-8' : 'text/css; charset=utf-8');
      expect(response.headers['cache-control']).to.equal('public, max-age=31536000, immutable');
      expect(response.headers['x-content-type-options']).to.equal('nosniff');
    }
    for (const missing of ['/assets/nope.js', '/assets/..%2Fpackage.json', '/assets/index.html', '/package.json']) {
      const response = await send(f.server.url, missing);
      expect(response.status, missing).to.equal(404);
      expect(response.body.error.code).to.equal('NOT_FOUND');
    }
  });

  it('the console routes are not API routes: they are left out of the routes the OpenAPI document is checked against', function () {
    expect(f.server.routes.every((r) => r.url.startsWith('/api/'))).to.equal(true);
    expect(f.server.routes.length).to.be.greaterThan(20);
  });
});
