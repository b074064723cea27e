import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { TRAIT_PHRASES } from '../../../src/domain/prompt/trait-phrases';
import { runCli } from '../../support/run-cli';
import { send } from '../server/api-client';
import { attachScreenshot, logInWithLink, seriousAxeViolations, useConsoleFixture } from './console-browser';

/** The text of the live prompt preview. */
const previewOf = (page: Page) => page.getByTestId('prompt-preview').innerText();

describe('Feature: the web console edits personalities in a real browser (Chromium)', function () {
  const f = useConsoleFixture();

  it('logs in with the one-time code of the login link, takes the code out of the address bar, and passes axe', async function () {
    const page = await f.newPage();
    await logInWithLink(page, f.server);
    expect(new URL(page.url()).pathname).to.equal('/');
    expect(new URL(page.url()).hash).to.equal('');
    expect(await page.locator('.who').innerText()).to.equal('console-tester (editor)');
    expect(await page.getByRole('button', { name: 'New personality' }).isVisible()).to.equal(true);
    await attachScreenshot(this, page, 'personalities-new');
    expect(await seriousAxeViolations(page)).to.deep.equal([]);
  });

  it('creates a personality with the sliders: the radar and the prompt preview follow each slider, and the API stores those values', async function () {
    const page = await f.newPage();
    await logInWithLink(page, f.server);
    await page.getByRole('button', { name: 'New personality' }).click();
    await page.getByLabel('Name', { exact: true }).fill('Slider Sam');
    const before = await previewOf(page);
    const radarBefore = await page.getByTestId('radar-shape').getAttribute('points');

    await page.getByLabel('Set Openness').check();
    expect(await page.locator('#trait-openness-value').innerText()).to.equal('50');
    await page.getByLabel('Openness', { exact: true }).press('End'); // the keyboard moves the slider to 100
    expect(await page.locator('#trait-openness-value').innerText()).to.equal('100');
    const afterOpenness = await previewOf(page);
    expect(before).to.not.include(TRAIT_PHRASES.openness[3]);
    expect(afterOpenness).to.include(TRAIT_PHRASES.openness[3]);
    expect(await page.getByTestId('radar-shape').getAttribute('points')).to.not.equal(radarBefore);

    await page.getByLabel('Set Humor').check();
    await page.getByLabel('Humor', { exact: true }).press('Home');
    expect(await previewOf(page)).to.include(TRAIT_PHRASES.humor[0]);
    await page.getByLabel('Custom instructions').fill('Sign off with a haiku.');
    expect(await previewOf(page)).to.include('Additional instructions: Sign off with a haiku.');
    await attachScreenshot(this, page, 'personality-editor');
    expect(await seriousAxeViolations(page)).to.deep.equal([]);

    await page.getByRole('button', { name: 'Create' }).click();
    await page.getByRole('heading', { name: 'Slider Sam' }).waitFor();
    const list = await send(f.server.url, '/api/v1/personalities', { token: f.adminToken });
    const stored = (list.body.data as { name: string; [k: string]: unknown }[]).find((p) => p.name === 'Slider Sam');
    expect(stored, 'the created personality').to.not.equal(undefined);
    expect(stored).to.include({ openness: 100, humor: 0, customInstructions: 'Sign off with a haiku.', version: 1 });
    expect(stored).to.not.have.property('extraversion'); // an untouched trait stays unset
  });

  it('saves a change with PATCH and If-Match: unsetting a trait removes it from the stored record', async function () {
    const created = await send(f.server.url, '/api/v1/personalities', { method: 'POST', token: f.adminToken, body: { id: 'patch-me', name: 'Patch Me', openness: 90, extraversion: 10 } });
    expect(created.status).to.equal(201);
    const page = await f.newPage();
    await logInWithLink(page, f.server);
    await page.locator('button[data-id="patch-me"]').click();
    expect(await previewOf(page)).to.include(TRAIT_PHRASES.extraversion[0]);
    await page.getByLabel('Set Extraversion').uncheck();
    expect(await page.locator('#trait-extraversion-value').innerText()).to.equal('unset');
    expect(await previewOf(page)).to.not.include(TRAIT_PHRASES.extraversion[0]);
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Saved as version 2.').waitFor();
    const stored = await send(f.server.url, '/api/v1/personalities/patch-me', { token: f.adminToken });
    expect(stored.body.data).to.include({ openness: 90, version: 2 });
    expect(stored.body.data).to.not.have.property('extraversion');
  });

  it('shows a change made by the CLI in another process without a reload', async function () {
    const page = await f.newPage();
    await logInWithLink(page, f.server);
    await page.evaluate('window.__notReloaded = true');
    const cli = await runCli([...f.tc.cliStore, '--json', 'personality', 'create', '--file', '-'], { stdin: JSON.stringify({ id: 'from-cli', name: 'Made by the CLI', agreeableness: 95 }) });
    expect(cli.code, cli.stderr).to.equal(0);
    await page.getByRole('button', { name: 'Made by the CLI' }).waitFor({ timeout: 20_000 });
    await page.getByRole('button', { name: 'Made by the CLI' }).click();
    expect(await page.locator('#trait-agreeableness-value').innerText()).to.equal('95');

    const update = await runCli([...f.tc.cliStore, '--json', 'personality', 'update', 'from-cli', '--file', '-'], { stdin: JSON.stringify({ agreeableness: 5 }) });
    expect(update.code, update.stderr).to.equal(0);
    await page.locator('#trait-agreeableness-value', { hasText: /^5$/ }).waitFor({ timeout: 20_000 });
    expect(await previewOf(page)).to.include(TRAIT_PHRASES.agreeableness[0]);
    expect(await page.evaluate('window.__notReloaded')).to.equal(true);
  });
});
