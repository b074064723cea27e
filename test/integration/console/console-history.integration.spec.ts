import { expect } from 'chai';
import { send } from '../server/api-client';
import { attachScreenshot, logInWithLink, seriousAxeViolations, storedRecord, useConsoleFixture } from './console-browser';

describe('Feature: the console shows a personality\'s history, a diff against the current version, and restores', function () {
  const f = useConsoleFixture();

  const stored = (id: string) => storedRecord(f, 'personalities', id);

  it('diffs a kept version against the current one (old → new, only the changed fields) and restores it as a new version', async function () {
    const created = await send(f.server.url, '/api/v1/personalities', { method: 'POST', token: f.adminToken, body: { id: 'with-history', name: 'With History', openness: 30, humor: 60 } });
    expect(created.status).to.equal(201);
    const updated = await send(f.server.url, '/api/v1/personalities/with-history', { method: 'PATCH', token: f.adminToken, headers: { 'if-match': '"1"' }, body: { openness: 80, description: 'Second thoughts' } });
    expect(updated.status, JSON.stringify(updated.body)).to.equal(200);

    const page = await f.newPage();
    await logInWithLink(page, f.server);
    await page.locator('button[data-id="with-history"]').click();
    const diff = page.getByTestId('history-diff');
    await diff.waitFor();
    expect(await page.getByLabel('Compare version').inputValue()).to.equal('1');
    const rows = await diff.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-field')));
    expect(rows).to.deep.equal(['description', 'openness']); // humor and the name did not change
    expect(await diff.locator('tr[data-field="openness"] td.old').innerText()).to.equal('30');
    expect(await diff.locator('tr[data-field="openness"] td.new').innerText()).to.equal('→ 80');
    expect(await diff.locator('tr[data-field="description"] td.new').innerText()).to.equal('→ Second thoughts');
    await page.getByRole('heading', { name: 'History', exact: true }).scrollIntoViewIfNeeded();
    await attachScreenshot(this, page, 'personality-history');
    expect(await seriousAxeViolations(page)).to.deep.equal([]);

    await page.getByRole('button', { name: 'Restore version 1' }).click();
    await page.getByText('Restored version 1 as version 3.').waitFor();
    const record = await stored('with-history');
    expect(record).to.include({ openness: 30, humor: 60, version: 3 });
    expect(record).to.not.have.property('description');
    await page.locator('#trait-openness-value', { hasText: /^30$/ }).waitFor(); // the untouched editor shows the restored content

    // Version 2 is now kept too; chosen with the keyboard, its diff runs the other way.
    await page.getByLabel('Compare version').selectOption('2');
    expect(await diff.locator('tr[data-field="openness"] td.old').innerText()).to.equal('80');
    expect(await diff.locator('tr[data-field="openness"] td.new').innerText()).to.equal('→ 30');
  });

  it('a record with only one version says so and offers nothing to restore (narrow window)', async function () {
    const page = await f.newPage({ width: 420, height: 800 });
    await logInWithLink(page, f.server);
    const created = await send(f.server.url, '/api/v1/personalities', { method: 'POST', token: f.adminToken, body: { id: 'only-one', name: 'Only One' } });
    expect(created.status).to.equal(201);
    await page.getByRole('button', { name: 'Only One' }).click();
    await page.getByText('No earlier versions are kept; version 1 is the only one.').waitFor();
    expect(await page.getByRole('button', { name: /^Restore/ }).count()).to.equal(0);
    await attachScreenshot(this, page, 'personality-history-narrow');
    expect(await seriousAxeViolations(page)).to.deep.equal([]);
  });
});
