import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { createTestContainer, type TestContainer } from '../../support/test-container';
import { startServer, type RunningServer } from '../../../src/server/start-server';
import type { AccessLevel } from '../../../src/security/security-context';

/** A response as the tests look at it: status, headers, raw text and the parsed JSON. */
export interface ApiResponse {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
}

/** What a request may carry; `token` becomes `Authorization: Bearer`, `host` replaces the Host header. */
export interface RequestOptions {
  method?: string;
  token?: string;
  body?: unknown;
  rawBody?: string;
  headers?: Record<string, string>;
}

/** The JSON of a body, or undefined when it is empty or not JSON. */
function parsed(text: string): unknown {
  try {
    return text === '' ? undefined : JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Sends one request with node:http (unlike fetch, it lets a test forge the Host header). */
export function send(url: string, path: string, options: RequestOptions = {}): Promise<ApiResponse> {
  const target = new URL(path, url);
  const payload = options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
  const headers: Record<string, string> = { ...(payload !== undefined ? { 'content-type': 'application/json' } : {}), ...(options.token ? { authorization: `Bearer ${options.token}` } : {}), ...options.headers };
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: target.hostname, port: target.port, path: `${target.pathname}${target.search}`, method: options.method ?? 'GET', headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => {
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, body: parsed(text) });
      });
    });
    req.on('error', reject);
    if (payload !== undefined) req.write(payload);
    req.end();
  });
}

/** A real server on an ephemeral port over a real configuration service, with a token of each access level. */
export interface ApiFixture {
  tc: TestContainer;
  server: RunningServer;
  tokens: Record<AccessLevel, string>;
  /** A request to this server. */
  api(path: string, options?: RequestOptions): Promise<ApiResponse>;
  dispose(): Promise<void>;
}

/** Starts the fixture: tokens named `admin-token`, `editor-token` and `viewer-token`. */
export async function startApiFixture(): Promise<ApiFixture> {
  const tc = await createTestContainer();
  const server = await startServer({ configuration: tc.configuration, host: '127.0.0.1', port: 0 });
  const tokens = {} as Record<AccessLevel, string>;
  for (const access of ['admin', 'editor', 'viewer'] as const) tokens[access] = (await tc.configuration.createToken({ name: `${access}-token`, access })).secret;
  return {
    tc,
    server,
    tokens,
    api: (path, options) => send(server.url, path, options),
    dispose: async () => {
      await server.close();
      await tc.dispose();
    },
  };
}

/** A valid personality body. */
export function personalityInput(id: string, name = `Personality ${id}`): Record<string, unknown> {
  return { id, name, openness: 50, conscientiousness: 50, extraversion: 50, agreeableness: 50, neuroticism: 50 };
}
