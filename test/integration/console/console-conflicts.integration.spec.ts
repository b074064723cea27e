import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { runCli } from '../../support/run-cli';
import { send } from '../server/api-client';
import { attachScreenshot, logInWithLink, seriousAxeViolations, storedRecord, useConsoleFixture } from './console-browser';

/** One row of the conflict dialog: the field's label cell, mine and theirs, and whether it is marked as differing. */
async function conflictRow(page: Page, field: string): Promise<{ mine: string; theirs: string; differs: boolean }> {
  const row = page.getByRole('dialog').locator(`tr[data-field="${field}"]`);
  return {
    mine: (await row.locator('td.mine').innerText()).trim(),
    theirs: (await row.locator('td.theirs').innerText()).trim(),
    differs: (await row.getAttribute('class')) === 'differs',
  };
}

describe('Feature: the console resolves a save that hits 409 CONFLICT (keep mine, take theirs, merge)', function () {
  const f = useConsoleFixture();

  const stored = (id: string) => storedRecord(f, 'personalities', id);

  /** Creates a personality, opens it in the console, lets `edit` change the draft, then changes it from the CLI in another process and saves. */
  async function conflictOn(id: string, edit: (page: Page) => Promise<void>, fromCli: Record<string, unknown>, viewport?: { width: number; height: number }): Promise<Page> {
    const created = await send(f.server.url, '/api/v1/personalities', { method: 'POST', token: f.adminToken, body: { id, name: `Conflict ${id}`, openness: 50, humor: 50 } });
    expect(created.status).to.equal(201);
    const page = await f.newPage(viewport);
    await logInWithLink(page, f.server);
    await page.locator(`button[data-id="${id}"]`).click();
    await page.getByRole('heading', { name: `Conflict ${id}` }).waitFor();
    await edit(page);
    const cli = await runCli([...f.tc.cliStore, '--json', 'personality', 'update', id, '--file', '-'], { stdin: JSON.stringify(fromCli) });
    expect(cli.code, cli.stderr).to.equal(0);
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('dialog', { name: 'Someone saved a newer version' }).waitFor();
    return page;
  }

  it('shows both versions side by side with the differing field marked; merge names the field both changed; keep mine saves over the current version', async function () {
    const page = await conflictOn('keep-mine', (p) => p.getByLabel('Openness', { exact: true }).press('End'), { openness: 10 });
    expect(await conflictRow(page, 'openness')).to.deep.equal({ mine: '100', theirs: '10', differs: true });
    expect(await conflictRow(page, 'humor')).to.deep.equal({ mine: '50', theirs: '50', differs: false });
    expect(await page.getByRole('dialog').innerText()).to.include('based on version 1; version 2 is stored now');
    await attachScreenshot(this, page, 'conflict-dialog');
    expect(await seriousAxeViolations(page)).to.deep.equal([]);

    // Both sides changed openness: the merge cannot settle it and says so; nothing is stored.
    await page.getByRole('button', { name: 'Merge' }).click();
    await page.getByRole('dialog').getByRole('alert').waitFor();
    expect(await page.getByRole('dialog').getByRole('alert').innerText()).to.include('openness');
    expect(await stored('keep-mine')).to.include({ openness: 10, version: 2 });

    await page.getByRole('button', { name: 'Keep mine' }).click();
    await page.getByText('Kept yours: saved as version 3.').waitFor();
    expect(await page.getByRole('dialog').count()).to.equal(0);
    expect(await stored('keep-mine')).to.include({ openness: 100, humor: 50, version: 3 });
  });

  it('Escape cancels the dialog and keeps the draft; take theirs loads the stored version into the editor and stores nothing', async function () {
    const page = await conflictOn('take-theirs', (p) => p.getByLabel('Openness', { exact: true }).press('End'), { openness: 20, humor: 70 });
    expect(await conflictRow(page, 'humor')).to.deep.equal({ mine: '50', theirs: '70', differs: true });
    // Escape cancels: the dialog closes, the draft is kept, nothing is stored; saving again reopens it.
    await page.keyboard.press('Escape');
    expect(await page.getByRole('dialog').count()).to.equal(0);
    expect(await page.locator('#trait-openness-value').innerText()).to.equal('100');
    expect(await stored('take-theirs')).to.include({ openness: 20, version: 2 });
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('dialog', { name: 'Someone saved a newer version' }).waitFor();
    await page.getByRole('button', { name: 'Take theirs' }).click();
    expect(await page.getByRole('dialog').count()).to.equal(0);
    expect(await page.locator('#trait-openness-value').innerText()).to.equal('20');
    expect(await page.locator('#trait-humor-value').innerText()).to.equal('70');
    expect(await page.getByRole('button', { name: 'Save' }).isDisabled()).to.equal(true); // nothing left to save
    expect(await stored('take-theirs')).to.include({ openness: 20, humor: 70, version: 2 });
  });

  it('merge keeps both changes to different fields (the keyboard alone drives the dialog, in a narrow window)', async function () {
    const page = await conflictOn('merge-both', (p) => p.getByLabel('Description').fill('Mine: a new description'), { humor: 90 }, { width: 420, height: 800 });
    expect(await conflictRow(page, 'description')).to.deep.equal({ mine: 'Mine: a new description', theirs: '(unset)', differs: true });
    expect(await conflictRow(page, 'humor')).to.deep.equal({ mine: '50', theirs: '90', differs: true });
    await attachScreenshot(this, page, 'conflict-dialog-narrow');
    expect(await seriousAxeViolations(page)).to.deep.equal([]);
    // The modal dialog holds the focus: Tab moves through its buttons, Enter presses the focused one.
    await page.getByRole('button', { name: 'Take theirs' }).focus();
    await page.keyboard.press('Tab');
    expect(await page.evaluate('document.activeElement && document.activeElement.textContent')).to.equal('Merge');
    await page.keyboard.press('Enter');
    await page.getByText('Merged: saved as version 3.').waitFor();
    expect(await stored('merge-both')).to.include({ description: 'Mine: a new description', humor: 90, openness: 50, version: 3 });
  });

  it('a role changed by the CLI while open in the records editor opens the same dialog; keep mine stores the console\'s value', async function () {
    const created = await send(f.server.url, '/api/v1/roles', { method: 'POST', token: f.adminToken, body: { id: 'conflict-role', name: 'Conflict role', systemPrompt: 'You start here.' } });
    expect(created.status).to.equal(201);
    const page = await f.newPage();
    await logInWithLink(page, f.server);
    await page.getByRole('button', { name: 'Roles', exact: true }).click();
    await page.locator('button[data-id="conflict-role"]').click();
    await page.getByRole('heading', { name: 'Conflict role' }).waitFor();
    await page.getByLabel('System prompt').fill('You are the console\'s reviewer.');
    const cli = await runCli([...f.tc.cliStore, '--json', 'role', 'update', 'conflict-role', '--file', '-'], { stdin: JSON.stringify({ systemPrompt: 'You are the CLI\'s reviewer.' }) });
    expect(cli.code, cli.stderr).to.equal(0);
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('dialog', { name: 'Someone saved a newer version' }).waitFor();
    expect(await conflictRow(page, 'systemPrompt')).to.deep.equal({ mine: 'You are the console\'s reviewer.', theirs: 'You are the CLI\'s reviewer.', differs: true });
    expect(await conflictRow(page, 'name')).to.deep.equal({ mine: 'Conflict role', theirs: 'Conflict role', differs: false });
    await attachScreenshot(this, page, 'conflict-dialog-role');
    expect(await seriousAxeViolations(page)).to.deep.equal([]);

    await page.getByRole('button', { name: 'Keep mine' }).click();
    await page.getByText('Kept yours: saved as version 3.').waitFor();
    expect(await page.getByRole('dialog').count()).to.equal(0);
    expect(await storedRecord(f, 'roles', 'conflict-role')).to.include({ systemPrompt: 'You are the console\'s reviewer.', version: 3 });
  });
});
