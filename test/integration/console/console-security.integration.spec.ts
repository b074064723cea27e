import { expect } from 'chai';
import { send } from '../server/api-client';
import { attachScreenshot, logInWithLink, seriousAxeViolations, useConsoleFixture } from './console-browser';

const XSS_NAME = '<img src=x onerror=alert(1)>';

describe('Feature: the console logs in safely and renders stored text as text (Chromium)', function () {
  const f = useConsoleFixture();

  it('without a session shows the login screen; a pasted access token logs in; a login code works only once', async function () {
    const link = f.server.loginLink({ actor: 'once', access: 'viewer' });
    const first = await f.newPage();
    await first.goto(link);
    await first.getByRole('navigation', { name: 'Personalities' }).waitFor();
    const second = await f.newPage();
    await second.goto(link); // the same code again, in a browser without the cookie
    await second.getByRole('alert').waitFor();
    expect(await second.getByRole('alert').innerText()).to.match(/login code is unknown, used or expired/);
    expect(await second.getByLabel('Access token').isVisible()).to.equal(true);
    await attachScreenshot(this, second, 'login');
    expect(await seriousAxeViolations(second)).to.deep.equal([]);

    await second.getByLabel('Access token').fill(f.adminToken);
    await second.getByRole('button', { name: 'Log in' }).click();
    await second.getByRole('navigation', { name: 'Personalities' }).waitFor();
    expect(await second.locator('.who').innerText()).to.equal('console-admin (admin)');
  });

  it(`renders a personality named ${XSS_NAME} as text: no dialog fires and no img element appears`, async function () {
    const created = await send(f.server.url, '/api/v1/personalities', { method: 'POST', token: f.adminToken, body: { id: 'xss', name: XSS_NAME, customInstructions: `${XSS_NAME}<script>alert(2)</script>` } });
    expect(created.status).to.equal(201);
    const page = await f.newPage();
    const dialogs: string[] = [];
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    await logInWithLink(page, f.server);
    const item = page.locator('button[data-id="xss"]');
    expect(await item.innerText()).to.equal(XSS_NAME);
    await item.click();
    await page.getByRole('heading', { name: XSS_NAME }).waitFor();
    expect(await page.getByTestId('prompt-preview').innerText()).to.include(`Additional instructions: ${XSS_NAME}<script>alert(2)</script>`);
    await page.waitForTimeout(300); // room for an onerror to fire, were there an img
    expect(await page.locator('img').count()).to.equal(0);
    expect(await page.locator('#app script').count()).to.equal(0);
    expect(dialogs).to.deep.equal([]);
    await attachScreenshot(this, page, 'personality-xss-as-text');
  });

  it('works in a narrow window (400 × 800): nothing overflows sideways, and the editor still passes axe', async function () {
    const page = await f.newPage({ width: 400, height: 800 });
    await logInWithLink(page, f.server);
    await page.getByRole('button', { name: 'New personality' }).click();
    await page.getByLabel('Set Conscientiousness').check();
    await page.getByLabel('Conscientiousness', { exact: true }).press('PageUp');
    expect(Number(await page.locator('#trait-conscientiousness-value').innerText())).to.be.greaterThan(50);
    const overflow = await page.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth');
    expect(overflow).to.be.at.most(0);
    await attachScreenshot(this, page, 'personality-editor-narrow');
    expect(await seriousAxeViolations(page)).to.deep.equal([]);
  });
});
