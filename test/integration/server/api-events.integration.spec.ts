import { expect } from 'chai';
import { request, type ClientRequest } from 'node:http';
import { runCli } from '../../support/run-cli';
import { personalityInput, startApiFixture, type ApiFixture } from './api-client';

/** An open event stream: the `change` events received so far, and a way to wait for one. */
interface EventStream {
  status: number;
  contentType: string;
  csp: string;
  next(match: (data: { kind: string; id: string; change: string }) => boolean, timeoutMs?: number): Promise<{ kind: string; id: string; change: string; version: number }>;
  close(): void;
}

function openEvents(url: string, token: string): Promise<EventStream> {
  return new Promise((resolve, reject) => {
    const target = new URL('/api/v1/events', url);
    const events: { kind: string; id: string; change: string; version: number }[] = [];
    const waiters = new Set<() => void>();
    const req: ClientRequest = request({ host: target.hostname, port: target.port, path: target.pathname, headers: { authorization: `Bearer ${token}` } }, (res) => {
      let buffer = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buffer += chunk;
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const type = /^event: (.*)$/m.exec(block)?.[1];
          const data = /^data: (.*)$/m.exec(block)?.[1];
          if (type === 'change' && data) events.push(JSON.parse(data));
          waiters.forEach((w) => w());
        }
      });
      resolve({
        status: res.statusCode ?? 0,
        contentType: String(res.headers['content-type']),
        csp: String(res.headers['content-security-policy']),
        next: (match, timeoutMs = 20_000) =>
          new Promise((found, fail) => {
            const check = () => {
              const hit = events.find(match);
              if (!hit) return;
              waiters.delete(check);
              clearTimeout(timer);
              found(hit);
            };
            const timer = setTimeout(() => {
              waiters.delete(check);
              fail(new Error(`no matching change event within ${timeoutMs} ms; got ${JSON.stringify(events)}`));
            }, timeoutMs);
            waiters.add(check);
            check();
          }),
        close: () => req.destroy(),
      });
    });
    req.on('error', reject);
    req.end();
  });
}

describe('Feature: GET /api/v1/events streams changes made by any process', function () {
  let f: ApiFixture;
  beforeEach(async function () {
    f = await startApiFixture();
  });
  afterEach(async function () {
    await f.dispose();
  });

  it('delivers a change event for a change made through the API, and for one made by the CLI in another process', async function () {
    const { api, tokens, server, tc } = f;
    const stream = await openEvents(server.url, tokens.viewer);
    try {
      expect(stream.status).to.equal(200);
      expect(stream.contentType).to.match(/^text\/event-stream/);
      expect(stream.csp).to.include("default-src 'self'");
      await api('/api/v1/personalities', { method: 'POST', token: tokens.editor, body: personalityInput('via-api') });
      const own = await stream.next((e) => e.id === 'via-api');
      expect(own).to.include({ kind: 'personality', change: 'created', version: 1 });

      const cli = await runCli([...tc.cliStore, '--json', 'role', 'create', '--file', '-'], { stdin: JSON.stringify({ id: 'via-cli', name: 'From the CLI', systemPrompt: 'You help.' }) });
      expect(cli.code, cli.stderr).to.equal(0);
      const other = await stream.next((e) => e.id === 'via-cli');
      expect(other).to.include({ kind: 'role', change: 'created', version: 1 });
    } finally {
      stream.close();
    }
  });

  it('refuses the stream without credentials', async function () {
    const stream = await openEvents(f.server.url, 'acfg_forged');
    stream.close();
    expect(stream.status).to.equal(401);
  });
});
