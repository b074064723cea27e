import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { runCli } from '../../support/run-cli';
import { send } from '../server/api-client';
import { attachScreenshot, logInWithLink, seriousAxeViolations, useConsoleFixture } from './console-browser';

describe('Feature: the console shows admins the audit trail and whether its hash chain verifies', function () {
  const f = useConsoleFixture();

  async function openAudit(page: Page, access: 'admin' | 'editor'): Promise<void> {
    await page.goto(f.server.loginLink({ actor: `audit-${access}`, access }));
    await page.getByRole('navigation', { name: 'Screens' }).waitFor();
    await page.getByRole('button', { name: 'Audit', exact: true }).click();
  }

  it('an admin filters the trail by actor and sees "chain verified"', async function () {
    const editorToken = (await f.tc.configuration.createToken({ name: 'role-writer', access: 'editor' })).secret;
    const created = await send(f.server.url, '/api/v1/roles', { method: 'POST', token: editorToken, body: { id: 'audited', name: 'Audited', systemPrompt: 'You are audited.' } });
    expect(created.status).to.equal(201);
    const mine = (await send(f.server.url, '/api/v1/audit?actor=role-writer', { token: f.adminToken })).body.data as { seq: number; action: string }[];
    expect(mine.length).to.be.greaterThan(0);
    const all = (await send(f.server.url, '/api/v1/audit', { token: f.adminToken })).body.data as unknown[];
    expect(all.length).to.be.greaterThan(mine.length);

    const page = await f.newPage();
    await openAudit(page, 'admin');
    await page.getByText(/^Chain verified: \d+ entries\.$/).waitFor();
    await page.locator('caption').waitFor();
    expect(await page.locator('tbody tr').count()).to.be.at.least(all.length); // unfiltered first (logging in may add entries)
    await page.getByLabel('Actor').fill('role-writer');
    await page.getByLabel('Actor').press('Enter'); // the filter submits from the keyboard
    await page.getByText(mine.length === 1 ? '1 entry, oldest first' : `${mine.length} entries, oldest first`).waitFor();
    const actors = await page.locator('tbody tr td:nth-child(3)').allInnerTexts();
    expect(actors).to.have.length(mine.length);
    expect(new Set(actors)).to.deep.equal(new Set(['role-writer']));
    expect(await page.locator('tbody').innerText()).to.include('role:audited');
    expect(await page.getByTestId('chain-status').innerText()).to.match(/^Chain verified: \d+ entries\.$/);
    await attachScreenshot(this, page, 'audit-trail');
    expect(await seriousAxeViolations(page)).to.deep.equal([]);
  });

  it('a bad "since" is refused with the API\'s field error as text (narrow window)', async function () {
    const page = await f.newPage({ width: 420, height: 800 });
    await openAudit(page, 'admin');
    await page.getByText(/^Chain verified/).waitFor();
    await page.getByLabel('Since').fill('yesterday');
    await page.getByRole('button', { name: 'Filter' }).click();
    await page.getByRole('alert').waitFor();
    expect(await page.getByRole('alert').innerText()).to.include('since');
    await attachScreenshot(this, page, 'audit-trail-narrow');
    expect(await seriousAxeViolations(page)).to.deep.equal([]);
  });

  it('a non-admin sees only "admins only", and no entry is fetched', async function () {
    const page = await f.newPage();
    const auditRequests: string[] = [];
    page.on('request', (request) => {
      if (request.url().includes('/api/v1/audit')) auditRequests.push(request.url());
    });
    await logInWithLink(page, f.server);
    await page.getByRole('button', { name: 'Audit', exact: true }).click();
    await page.getByText('The audit trail is for admins only.').waitFor();
    expect(await page.locator('table').count()).to.equal(0);
    expect(auditRequests).to.deep.equal([]);
    expect(await seriousAxeViolations(page)).to.deep.equal([]);
  });

  it('a change made by the CLI in another process appears in the open trail without a click on Filter', async function () {
    const page = await f.newPage();
    await openAudit(page, 'admin');
    await page.getByText(/^Chain verified/).waitFor();
    await page.locator('caption').waitFor();
    expect(await page.locator('tbody').innerText()).not.to.include('role:live-audited');
    const cli = await runCli([...f.tc.cliStore, '--json', 'role', 'create', '--file', '-'], { stdin: JSON.stringify({ id: 'live-audited', name: 'Live audited', systemPrompt: 'You are audited live.' }) });
    expect(cli.code, cli.stderr).to.equal(0);
    await page.locator('tbody').getByText('role:live-audited').first().waitFor({ timeout: 15_000 });
  });
});
