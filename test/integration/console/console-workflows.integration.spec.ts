import { expect } from 'chai';
import { runCli } from '../../support/run-cli';
import { send } from '../server/api-client';
import type { Page } from 'playwright-core';
import { attachScreenshot, seriousAxeViolations, useConsoleFixture } from './console-browser';

describe('Feature: the console shows each workflow run as a timeline of its steps', function () {
  const f = useConsoleFixture();

  /** Runs are shown to whoever ran them and to admins: these were run with the admin token, so log in as an admin. */
  async function logInAsAdmin(page: Page): Promise<void> {
    await page.goto(f.server.loginLink({ actor: 'console-admin', access: 'admin' }));
    await page.getByRole('navigation', { name: 'Screens' }).waitFor();
  }

  it('a run whose last step fails COMPENSATES: the earlier steps show COMPENSATED, the failed step its error', async function () {
    const definition = {
      name: 'team-with-missing-role',
      steps: [
        { id: 'p', service: 'personality', action: 'create', input: { name: 'Bea', openness: 90 } },
        { id: 'r', service: 'role', action: 'create', input: { name: 'Scout', systemPrompt: 'You scout.' } },
        {
          id: 'a',
          service: 'agent',
          action: 'create',
          input: { name: 'Bea', personalityId: { $ref: 'steps.p.output.id' }, roleId: 'no-such-role', color: '#AA5500', modelConfig: { provider: 'anthropic', modelId: 'claude-3-5-haiku-latest' } },
        },
      ],
    };
    const response = await send(f.server.url, '/api/v1/workflows', { method: 'POST', token: f.adminToken, body: definition });
    expect(response.status).to.equal(201);
    const run = response.body.data as { id: string; status: string; steps: { id: string; status: string; error?: { code: string; message: string } }[] };
    expect(run.status).to.equal('COMPENSATED');
    const failed = run.steps.find((s) => s.id === 'a');
    expect(failed?.error?.message).to.be.a('string');

    const page = await f.newPage();
    await logInAsAdmin(page);
    await page.getByRole('button', { name: 'Workflows', exact: true }).click();
    await page.getByRole('navigation', { name: 'Workflow runs' }).waitFor();
    await page.locator(`button[data-id="${run.id}"]`).click();
    await page.getByRole('heading', { name: 'team-with-missing-role' }).waitFor();
    expect(await page.getByTestId('run-status').innerText()).to.equal('COMPENSATED');
    expect(await page.getByRole('list', { name: 'Steps' }).locator('li[data-step]').evaluateAll((items) => items.map((li) => li.getAttribute('data-step')))).to.deep.equal(['p', 'r', 'a']);
    for (const id of ['p', 'r']) expect(await page.locator(`li[data-step="${id}"] .badge`).innerText(), id).to.equal('COMPENSATED');
    const last = page.locator('li[data-step="a"]');
    expect(await last.locator('.badge').innerText()).to.equal(failed?.status);
    expect(failed?.status).to.not.equal('COMPLETED');
    expect(await last.innerText()).to.include(failed!.error!.message).and.include('failed here');
    expect(await page.locator('li[data-step="p"]').innerText()).to.include('undone').and.not.include('failed here');
    expect(await last.innerText()).to.match(/\d+ attempts? · \d+ ms/);
    await attachScreenshot(this, page, 'workflow-timeline');
    expect(await seriousAxeViolations(page)).to.deep.equal([]);
  });

  it('lists runs at a narrow width and is keyboard operable (Tab to a run, Enter opens it)', async function () {
    const ok = await send(f.server.url, '/api/v1/workflows', { method: 'POST', token: f.adminToken, body: { name: 'one-role', steps: [{ id: 'r', service: 'role', action: 'create', input: { name: 'Solo', systemPrompt: 'Alone.' } }] } });
    expect(ok.status).to.equal(201);
    const page = await f.newPage({ width: 420, height: 800 });
    await logInAsAdmin(page);
    await page.getByRole('button', { name: 'Workflows', exact: true }).click();
    const button = page.locator(`button[data-id="${(ok.body.data as { id: string }).id}"]`);
    await button.focus();
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'one-role' }).waitFor();
    expect(await page.getByTestId('run-status').innerText()).to.equal('COMPLETED');
    expect(await page.locator('li[data-step="r"] .badge').innerText()).to.equal('COMPLETED');
    await attachScreenshot(this, page, 'workflow-timeline-narrow');
    expect(await seriousAxeViolations(page)).to.deep.equal([]);
  });

  it('a run started from the CLI in another process appears in the open list without a reload or a click on Refresh', async function () {
    const page = await f.newPage();
    await logInAsAdmin(page);
    await page.getByRole('button', { name: 'Workflows', exact: true }).click();
    const list = page.getByRole('navigation', { name: 'Workflow runs' });
    await list.waitFor();
    expect(await list.getByText('live-from-cli').count()).to.equal(0);

    const definition = { name: 'live-from-cli', steps: [{ id: 'r', service: 'role', action: 'create', input: { name: 'Live', systemPrompt: 'You arrive live.' } }] };
    const cli = await runCli([...f.tc.cliStore, '--json', 'workflow', 'run', '-'], { stdin: JSON.stringify(definition) });
    expect(cli.code, cli.stderr).to.equal(0);

    await list.getByText('live-from-cli').waitFor({ timeout: 15_000 });
    await list.getByText('live-from-cli').click();
    await page.getByRole('heading', { name: 'live-from-cli' }).waitFor();
    expect(await page.getByTestId('run-status').innerText()).to.equal('COMPLETED');
  });
});
