import { expect } from 'chai';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { runCliInProcess } from '../../support/run-cli-in-process';
import { makeTempDir } from '../../support/test-container';
import { validRecords } from '../../support/records';

describe('Feature: a data folder that does not exist', function () {
  const reads = [['personality', 'list'], ['role', 'get', 'critic'], ['agent', 'list', '--json'], ['export'], ['verify'], ['audit', 'list'], ['workflow', 'list'], ['personality', 'history', 'balanced']];

  for (const args of reads) {
    it(`\`${args.join(' ')}\` says the folder is missing (NOT_FOUND, exit 4), names it and \`agentcfg init\`, and makes nothing`, async function () {
      const dir = join(await makeTempDir(), 'nowhere');
      const run = await runCliInProcess(['--dir', dir, ...args]);
      expect(run.code, run.stderr).to.equal(4);
      const message = args.includes('--json') ? run.json().error?.message : run.stderr;
      expect(message).to.include(dir).and.include('agentcfg init');
      expect(existsSync(dir), 'a read creates nothing').to.equal(false);
    });
  }

  it('a write creates it, as init does', async function () {
    const dir = join(await makeTempDir(), 'new-folder');
    const run = await runCliInProcess(['--dir', dir, 'personality', 'create', '--file', '-'], { stdin: JSON.stringify(validRecords().personality) });
    expect(run.code, run.stderr).to.equal(0);
    const list = await runCliInProcess(['--dir', dir, 'personality', 'list', '--json']);
    expect(list.code).to.equal(0);
    expect(list.json<{ data: { id: string }[] }>().data.map((p) => p.id)).to.include(validRecords().personality.id).and.include('balanced');
  });
});
