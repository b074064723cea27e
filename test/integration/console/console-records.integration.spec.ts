import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { send } from '../server/api-client';
import { attachScreenshot, seriousAxeViolations, storedRecord, useConsoleFixture } from './console-browser';

describe('Feature: the console lists and edits roles and connections; templates are read-only unless you are an admin', function () {
  const f = useConsoleFixture();

  /** Logs in by pasting an access token into the login form. */
  async function logInWithToken(page: Page, secret: string): Promise<void> {
    await page.goto(`${f.server.url}/`);
    await page.getByLabel('Access token').fill(secret);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByRole('navigation', { name: 'Screens' }).waitFor();
  }

  /** Opens a one-time login link as an admin. */
  async function logInAsAdmin(page: Page): Promise<void> {
    await page.goto(f.server.loginLink({ actor: 'console-admin-user', access: 'admin' }));
    await page.getByRole('navigation', { name: 'Screens' }).waitFor();
  }

  const stored = (plural: string, id: string) => storedRecord(f, plural, id);

  it('an editor-level token sees a template role read-only (every control disabled, no save)', async function () {
    const editor = (await f.tc.configuration.createToken({ name: 'role-editor', access: 'editor' })).secret;
    const page = await f.newPage();
    await logInWithToken(page, editor);
    expect(await page.locator('.who').innerText()).to.equal('role-editor (editor)');
    await page.getByRole('button', { name: 'Roles', exact: true }).click();
    const template = await stored('roles', 'technical-advisor');
    expect(template).to.include({ isTemplate: true });
    await page.locator('button[data-id="technical-advisor"]').click();
    await page.getByRole('heading', { name: template.name as string }).waitFor();
    expect(await page.getByText('A template: read-only (only an admin may change it).').isVisible()).to.equal(true);
    expect(await page.getByLabel('System prompt').inputValue()).to.equal(template.systemPrompt);
    expect(await page.getByLabel('Focus areas').inputValue()).to.equal((template.focusAreas as string[]).join('\n'));
    for (const label of ['Name', 'Description', 'System prompt', 'Focus areas']) expect(await page.getByLabel(label, { exact: true }).isDisabled(), label).to.equal(true);
    expect(await page.getByRole('button', { name: 'Save' }).isDisabled()).to.equal(true);
    await attachScreenshot(this, page, 'role-template-read-only');
    expect(await seriousAxeViolations(page)).to.deep.equal([]);
  });

  it('an admin may edit a template, and edits a non-template role: the system prompt and focus areas are stored', async function () {
    const created = await send(f.server.url, '/api/v1/roles', { method: 'POST', token: f.adminToken, body: { id: 'reviewer', name: 'Reviewer', systemPrompt: 'You review code.', focusAreas: ['tests'] } });
    expect(created.status).to.equal(201);
    const page = await f.newPage();
    await logInAsAdmin(page);
    await page.getByRole('button', { name: 'Roles', exact: true }).click();
    await page.locator('button[data-id="technical-advisor"]').click();
    expect(await page.getByLabel('System prompt').isDisabled()).to.equal(false); // an admin may change templates

    await page.locator('button[data-id="reviewer"]').click();
    await page.getByRole('heading', { name: 'Reviewer' }).waitFor();
    await page.getByLabel('System prompt').fill('You review code <carefully> & kindly.');
    await page.getByLabel('Focus areas').fill('tests\nsecurity\n\n  naming  ');
    await page.getByLabel('Description').fill('Reads every diff');
    await attachScreenshot(this, page, 'role-editor');
    expect(await seriousAxeViolations(page)).to.deep.equal([]);
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Saved as version 2.').waitFor();
    const role = await stored('roles', 'reviewer');
    expect(role).to.include({ systemPrompt: 'You review code <carefully> & kindly.', description: 'Reads every diff', version: 2, isTemplate: false });
    expect(role.focusAreas).to.deep.equal(['tests', 'security', 'naming']);
  });

  it('creates a connection (provider, base URL, key reference) and shows the API\'s field error as text (narrow window)', async function () {
    const page = await f.newPage({ width: 420, height: 800 });
    await logInAsAdmin(page);
    await page.getByRole('button', { name: 'Connections', exact: true }).click();
    await page.getByRole('button', { name: 'New connection' }).click();
    await page.getByLabel('Name', { exact: true }).fill('Local LM');
    await page.getByLabel('Provider').selectOption('openai-compatible');
    await page.getByRole('button', { name: 'Create' }).click();
    // No base URL: the API refuses with 422 naming the field, shown in the page.
    await page.getByRole('alert').waitFor();
    expect(await page.getByRole('alert').innerText()).to.include('baseUrl');
    await page.getByLabel('Base URL').fill('http://127.0.0.1:1234/v1');
    await page.getByLabel('Default model').fill('qwen2.5-7b');
    await page.getByLabel('API key reference').fill('env:LOCAL_LM_KEY');
    await attachScreenshot(this, page, 'connection-editor-narrow');
    expect(await seriousAxeViolations(page)).to.deep.equal([]);
    await page.getByRole('button', { name: 'Create' }).click();
    await page.getByRole('heading', { name: 'Local LM' }).waitFor();
    const list = (await send(f.server.url, '/api/v1/connections', { token: f.adminToken })).body.data as Record<string, unknown>[];
    const made = list.find((c) => c.name === 'Local LM');
    expect(made).to.include({ provider: 'openai-compatible', baseUrl: 'http://127.0.0.1:1234/v1', defaultModelId: 'qwen2.5-7b', apiKeyRef: 'env:LOCAL_LM_KEY', version: 1 });
  });

  it('the connections list at 1280 × 800 marks the template and keeps it read-only for an editor', async function () {
    const editor = (await f.tc.configuration.createToken({ name: 'conn-editor', access: 'editor' })).secret;
    const page = await f.newPage();
    await logInWithToken(page, editor);
    await page.getByRole('button', { name: 'Connections', exact: true }).click();
    await page.locator('button[data-id="local-ollama"]').click();
    expect(await page.getByLabel('Base URL').inputValue()).to.equal('http://127.0.0.1:11434');
    expect(await page.getByLabel('Provider').isDisabled()).to.equal(true);
    expect(await page.getByRole('navigation', { name: 'Connections' }).getByText('template').count()).to.be.greaterThan(0);
    await attachScreenshot(this, page, 'connections');
    expect(await seriousAxeViolations(page)).to.deep.equal([]);
  });
});
