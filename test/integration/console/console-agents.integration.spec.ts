import { expect } from 'chai';
import { send } from '../server/api-client';
import { attachScreenshot, logInWithLink, seriousAxeViolations, storedRecord, useConsoleFixture } from './console-browser';

describe('Feature: the console composes agents from a personality, a role and a model, showing the resolved system prompt', function () {
  const f = useConsoleFixture();

  before(async function () {
    const personality = await send(f.server.url, '/api/v1/personalities', { method: 'POST', token: f.adminToken, body: { id: 'calm', name: 'Calm', agreeableness: 90, customInstructions: 'Answer in short sentences.' } });
    expect(personality.status).to.equal(201);
    const role = await send(f.server.url, '/api/v1/roles', { method: 'POST', token: f.adminToken, body: { id: 'triager', name: 'Triager', systemPrompt: 'You triage incoming bug reports.', focusAreas: ['severity'] } });
    expect(role.status).to.equal(201);
  });

  it('composes an agent: the draft prompt contains the role\'s system prompt; Create stores it and the server resolves the same prompt', async function () {
    const page = await f.newPage();
    await logInWithLink(page, f.server);
    await page.getByRole('button', { name: 'Agents', exact: true }).click();
    await page.getByRole('navigation', { name: 'Agents' }).waitFor();
    const prompt = page.getByTestId('resolved-prompt');
    expect(await prompt.innerText()).to.equal('Choose a personality and a role to see the prompt.');

    await page.getByLabel('Name', { exact: true }).fill('Bug triager');
    await page.getByLabel('Colour').fill('#12ab34');
    await page.getByLabel('Personality').selectOption('calm');
    await page.getByLabel('Role').selectOption('triager');
    await page.getByLabel('Provider').selectOption('anthropic');
    await page.getByLabel('Model id').fill('claude-sonnet-4-0');
    await page.getByLabel('Temperature').fill('0.3');
    await page.getByLabel('Top-p').fill('0.9');
    const draftPrompt = await prompt.innerText();
    expect(draftPrompt).to.include('You triage incoming bug reports.');
    expect(draftPrompt).to.include('Focus areas: severity.');
    expect(draftPrompt).to.include('Additional instructions: Answer in short sentences.');
    await attachScreenshot(this, page, 'agent-composer');
    expect(await seriousAxeViolations(page)).to.deep.equal([]);

    await page.getByRole('button', { name: 'Create' }).click();
    await page.getByRole('heading', { name: 'Bug triager' }).waitFor(); // the created agent is selected
    const list = (await send(f.server.url, '/api/v1/agents', { token: f.adminToken })).body.data as Record<string, unknown>[];
    const made = list.find((a) => a.name === 'Bug triager');
    expect(made).to.include({ personalityId: 'calm', roleId: 'triager', color: '#12ab34', version: 1 });
    expect(made?.modelConfig).to.deep.equal({ provider: 'anthropic', modelId: 'claude-sonnet-4-0', parameters: { temperature: 0.3, topP: 0.9 } });
    const resolved = (await send(f.server.url, `/api/v1/agents/${made?.id as string}/resolved`, { token: f.adminToken })).body.data as { systemPrompt: string };
    expect(resolved.systemPrompt).to.equal(draftPrompt);
    // The saved agent shows the server's resolution, which is the draft's.
    await page.getByText('as the server resolves the saved agent').waitFor();
    await page.waitForFunction(`document.querySelector('[data-testid="resolved-prompt"]')?.textContent === ${JSON.stringify(resolved.systemPrompt)}`);
    expect(await prompt.innerText()).to.equal(resolved.systemPrompt);
  });

  it('edits a saved agent with If-Match (narrow window): an unset parameter is removed and the version bumps', async function () {
    const created = await send(f.server.url, '/api/v1/agents', {
      method: 'POST',
      token: f.adminToken,
      body: { id: 'reviewer-bot', name: 'Reviewer bot', personalityId: 'calm', roleId: 'triager', color: '#000000', modelConfig: { provider: 'openai', modelId: 'gpt-4o', parameters: { temperature: 1, maxTokens: 500 } } },
    });
    expect(created.status).to.equal(201);
    const page = await f.newPage({ width: 420, height: 800 });
    await logInWithLink(page, f.server);
    await page.getByRole('button', { name: 'Agents', exact: true }).click();
    await page.locator('button[data-id="reviewer-bot"]').click();
    await page.getByRole('heading', { name: 'Reviewer bot' }).waitFor();
    expect(await page.getByLabel('Max tokens').inputValue()).to.equal('500');
    await page.getByLabel('Max tokens').fill('');
    await page.getByLabel('Temperature').focus();
    await page.keyboard.press('ArrowUp'); // keyboard operable: 1 → 1.05
    await attachScreenshot(this, page, 'agent-composer-narrow');
    expect(await seriousAxeViolations(page)).to.deep.equal([]);
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Saved as version 2.').waitFor();
    const agent = await storedRecord(f, 'agents', 'reviewer-bot');
    expect(agent.version).to.equal(2);
    expect((agent.modelConfig as { parameters: unknown }).parameters).to.deep.equal({ temperature: 1.05 });
  });
});
