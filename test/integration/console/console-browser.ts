import addContext from 'mochawesome/addContext';
import { mkdir, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { startServer, type RunningServer } from '../../../src/server/start-server';
import { createTestContainer, type TestContainer } from '../../support/test-container';
import { send } from '../server/api-client';

/** Debian's Chromium (scripts/ensure-chromium.sh installs it); no browser is ever downloaded. */
export const CHROMIUM = '/usr/bin/chromium';

const REPORT_DIR = resolve(__dirname, '..', '..', '..', 'mochawesome-report');
const AXE_SOURCE = readFile(require.resolve('axe-core/axe.min.js'), 'utf8');

/** A real server on an ephemeral port over a fresh store, and a headless Chromium. */
export interface ConsoleFixture {
  tc: TestContainer;
  server: RunningServer;
  browser: Browser;
  /** An admin's access token, for checking through the API what the console stored. */
  adminToken: string;
  /** A fresh browser context (no cookies) and page, at 1280 × 800 unless told otherwise. */
  newPage(viewport?: { width: number; height: number }): Promise<Page>;
  dispose(): Promise<void>;
}

/** Starts the server and the browser. */
export async function startConsoleFixture(): Promise<ConsoleFixture> {
  const tc = await createTestContainer();
  const server = await startServer({ configuration: tc.configuration, host: '127.0.0.1', port: 0 });
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-background-networking'] });
  const adminToken = (await tc.configuration.createToken({ name: 'console-admin', access: 'admin' })).secret;
  const contexts: BrowserContext[] = [];
  return {
    tc,
    server,
    browser,
    adminToken,
    newPage: async (viewport = { width: 1280, height: 800 }) => {
      const context = await browser.newContext({ viewport });
      contexts.push(context);
      return context.newPage();
    },
    dispose: async () => {
      await Promise.all(contexts.map((c) => c.close().catch(() => undefined)));
      await browser.close();
      await server.close();
      await tc.dispose();
    },
  };
}

/**
 * Starts a console fixture before the suite's tests and disposes of it after them (call it inside `describe`). The
 * returned fixture reads through to the started one, so it is usable in the tests and in helpers they call.
 */
export function useConsoleFixture(): ConsoleFixture {
  let fixture: ConsoleFixture | undefined;
  before(async function () {
    fixture = await startConsoleFixture();
  });
  after(async function () {
    await fixture?.dispose();
  });
  const started = (): ConsoleFixture => {
    if (!fixture) throw new Error('the console fixture is used before the suite started it');
    return fixture;
  };
  return {
    get tc() {
      return started().tc;
    },
    get server() {
      return started().server;
    },
    get browser() {
      return started().browser;
    },
    get adminToken() {
      return started().adminToken;
    },
    newPage: (viewport) => started().newPage(viewport),
    dispose: () => started().dispose(),
  };
}

/** A record as the API stores it (`GET /api/v1/<plural>/<id>` as an admin), for checking what the console saved. */
export async function storedRecord(f: ConsoleFixture, plural: string, id: string): Promise<Record<string, unknown>> {
  return (await send(f.server.url, `/api/v1/${plural}/${id}`, { token: f.adminToken })).body.data as Record<string, unknown>;
}

/** Opens the one-time login link `serve` would print, as an editor, and waits for the personalities screen. */
export async function logInWithLink(page: Page, server: RunningServer): Promise<void> {
  await page.goto(server.loginLink({ actor: 'console-tester', access: 'editor' }));
  await page.getByRole('navigation', { name: 'Personalities' }).waitFor();
}

/** Saves a screenshot under mochawesome-report/console/ and attaches it to the test's report entry. */
export async function attachScreenshot(context: Mocha.Context, page: Page, name: string): Promise<void> {
  const dir = join(REPORT_DIR, 'console');
  await mkdir(dir, { recursive: true });
  await page.screenshot({ path: join(dir, `${name}.png`), fullPage: true });
  addContext(context, { title: `screen: ${name}`, value: `console/${name}.png` });
}

/** One axe-core violation, as the tests report it. */
export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: number;
}

/**
 * Runs axe-core in the page (evaluated over the DevTools protocol, which the page's CSP does not govern: the console's
 * own CSP stays as served) and returns its serious and critical violations.
 */
export async function seriousAxeViolations(page: Page): Promise<AxeViolation[]> {
  await page.evaluate(await AXE_SOURCE);
  return page.evaluate(`axe.run(document, { resultTypes: ['violations'] }).then((r) => r.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.length })))`) as Promise<AxeViolation[]>;
}
