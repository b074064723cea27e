import { hostname } from 'node:os';
import type { IConfigurationService } from '../services/configuration/configuration-service';
import type { Principal } from '../security/security-context';
import { allowedHosts, hostForUrl } from './allowed-hosts';
import { buildServer, type RegisteredRoute } from './build-server';
import { SessionRegistry } from './sessions';

/** The address `agentcfg serve` binds to unless told otherwise: this machine only. */
export const DEFAULT_HOST = '127.0.0.1';
/** The port `agentcfg serve` listens on unless told otherwise. */
export const DEFAULT_PORT = 7420;

/** What a server is started with. */
export interface StartServerOptions {
  /** The one configuration service every request acts through (as the request's principal). */
  configuration: IConfigurationService;
  /** The address to bind: 127.0.0.1 by default. */
  host?: string;
  /** The port: 7420 by default; 0 picks a free one (the URL says which). */
  port?: number;
  /** Told about each unexpected (500) error, with its stack. */
  onInternalError?: (error: unknown) => void;
}

/** A running server. */
export interface RunningServer {
  /** `http://host:port`, the origin the API and console are served from. */
  url: string;
  host: string;
  port: number;
  /** The API routes Fastify registered (method and path), for checking the OpenAPI document against. */
  routes: readonly RegisteredRoute[];
  /** A link that logs a browser in once as `principal` (`<url>/login#<one-time code>`). */
  loginLink(principal: Principal): string;
  /** Stops listening and ends open event streams; the configuration service stays open (its owner closes it). */
  close(): Promise<void>;
}

/** Starts the HTTP API over a configuration service, on `host:port`. */
export async function startServer(options: StartServerOptions): Promise<RunningServer> {
  const host = options.host ?? DEFAULT_HOST;
  const sessions = new SessionRegistry();
  let hosts: ReadonlySet<string> = new Set();
  const { app, routes } = await buildServer({ configuration: options.configuration, sessions, hosts: () => hosts, ...(options.onInternalError ? { onInternalError: options.onInternalError } : {}) });
  await app.listen({ host, port: options.port ?? DEFAULT_PORT });
  const address = app.server.address();
  const port = typeof address === 'object' && address !== null ? address.port : (options.port ?? DEFAULT_PORT);
  hosts = allowedHosts(host, port);
  // Bound to every interface, the URL names this machine as others would reach it.
  const shown = host === '0.0.0.0' || host === '::' ? hostname() : host;
  const url = `http://${hostForUrl(shown)}:${port}`;
  return {
    url,
    host,
    port,
    routes,
    loginLink: (principal) => `${url}/login#${sessions.issueLoginCode(principal)}`,
    close: () => app.close(),
  };
}
