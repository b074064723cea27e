import type { FastifyInstance, FastifyReply } from 'fastify';
import { readFile } from 'node:fs/promises';
import { extname, join, resolve } from 'node:path';
import { HttpError } from './http-error';

/** Where `npm run build` puts the console (dist/console), from src/server or dist/server alike. */
export const CONSOLE_DIR = resolve(__dirname, '..', '..', 'dist', 'console');

/** The console's paths that are the app itself: it reads the login link's code from the fragment. */
export const CONSOLE_PAGES = ['/', '/login'] as const;

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.map': 'application/json; charset=utf-8',
};

/** Asset names as Vite writes them: a flat, hashed file name, nothing that could climb out of the folder. */
const ASSET_NAME = /^[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)*\.[a-z0-9]+$/;

/** A file of the built console, or null when it is not there. */
async function consoleFile(dir: string, path: string): Promise<Buffer | null> {
  try {
    return await readFile(join(dir, path));
  } catch {
    return null;
  }
}

/** The app's page: never cached, so a new build's assets are picked up. */
async function sendIndex(dir: string, reply: FastifyReply): Promise<FastifyReply> {
  const html = await consoleFile(dir, 'index.html');
  if (!html) throw new HttpError(404, 'NOT_FOUND', 'the web console is not built: run `npm run build`');
  return reply.type('text/html; charset=utf-8').header('cache-control', 'no-cache').send(html);
}

/**
 * The web console: `/` and `/login` are its index.html; `/assets/<name>` its hashed, immutable scripts and styles,
 * with their content types. No credentials are needed to load it; everything it shows comes from /api.
 */
export function registerConsoleRoutes(app: FastifyInstance, dir: string = CONSOLE_DIR): void {
  for (const page of CONSOLE_PAGES) {
    app.get(page, { schema: { hide: true } }, async (_request, reply) => sendIndex(dir, reply));
  }
  app.get<{ Params: { name: string } }>('/assets/:name', { schema: { hide: true } }, async (request, reply) => {
    const name = request.params.name;
    const type = CONTENT_TYPES[extname(name)];
    const bytes = ASSET_NAME.test(name) && type ? await consoleFile(dir, join('assets', name)) : null;
    if (!bytes) throw new HttpError(404, 'NOT_FOUND', `no console asset ${name}`);
    return reply.type(type!).header('cache-control', 'public, max-age=31536000, immutable').send(bytes);
  });
}
