import { expect } from 'chai';
import { cp } from 'node:fs/promises';
import { join } from 'node:path';
import { runCli } from '../../support/run-cli';
import { makeTempDir } from '../../support/test-container';

/** A data folder written by agentcfg 0.1 (before personalities could leave traits unset), with every kind in it. */
const MADE_BY_0_1 = join(__dirname, '..', '..', 'fixtures', 'folders', 'made-by-0.1');

describe('Feature: data folders written by earlier versions keep opening', function () {
  it('a folder made by 0.1 verifies clean, reads, and takes changes, its audit chain continuing', async function () {
    const dir = join(await makeTempDir(), 'data');
    await cp(MADE_BY_0_1, dir, { recursive: true });
    const verified = await runCli(['--dir', dir, '--json', 'verify']);
    expect(verified.code, verified.stdout).to.equal(0);
    expect(verified.json<{ data: { consistent: boolean; findings: unknown[] } }>().data).to.deep.include({ consistent: true, findings: [] });
    const resolved = await runCli(['--dir', dir, '--json', 'agent', 'resolve', 'demo-reviewer']);
    expect(resolved.code, resolved.stdout).to.equal(0);
    expect(resolved.json<{ data: { systemPrompt: string } }>().data.systemPrompt).to.contain('Personality:');
    const history = await runCli(['--dir', dir, '--json', 'personality', 'history', 'demo-mentor']);
    expect(history.json<{ data: { version: number }[] }>().data.map((p) => p.version)).to.deep.equal([1]);
    expect((await runCli(['--dir', dir, '--json', 'connection', 'get', 'cloud'])).code).to.equal(0);

    const updated = await runCli(['--dir', dir, '--json', 'personality', 'update', 'demo-mentor', '--file', '-'], { stdin: '{"focus": 90}' });
    expect(updated.code, updated.stdout).to.equal(0);
    expect(updated.json<{ data: { version: number; focus: number; humor: number } }>().data).to.deep.include({ version: 3, focus: 90, humor: 12 });
    const audit = await runCli(['--dir', dir, '--json', 'audit', 'verify']);
    expect(audit.code, audit.stdout).to.equal(0);
    expect((await runCli(['--dir', dir, '--json', 'verify'])).code).to.equal(0);
  });
});
