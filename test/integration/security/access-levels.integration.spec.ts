import { expect } from 'chai';
import { validRecords } from '../../support/records';
import { runCliInProcess } from '../../support/run-cli-in-process';
import { auditEntriesOf } from '../../support/store-state';
import { createTestContainer, type TestContainer } from '../../support/test-container';
import { refusal } from '../../support/refusal';

describe('Feature: a principal acts at an access level (viewer, editor, admin), under its own name', function () {
  let env: TestContainer;

  beforeEach(async function () {
    env = await createTestContainer();
  });

  it('`access` sets the level, and `role`, its earlier name, still does; audit entries keep it under `role`', async function () {
    const { personality } = validRecords();
    for (const principal of [{ actor: 'vic', access: 'viewer' as const }, { actor: 'val', role: 'viewer' as const }]) {
      const viewer = env.configuration.as(principal);
      expect(viewer.principal).to.deep.equal({ actor: principal.actor, access: 'viewer' });
      const error = await refusal(viewer.createPersonality({ ...personality, id: `made-by-${principal.actor}` }));
      expect(error.code).to.equal('FORBIDDEN');
      expect(error.message).to.contain(`viewer '${principal.actor}' lacks the right 'write'`);
      expect(error.context).to.include({ role: 'viewer', missingRight: 'write' });
    }
    const editor = env.configuration.as({ actor: 'eve', access: 'editor' });
    await editor.createPersonality(personality);
    const entries = await auditEntriesOf(env);
    expect(entries.filter((e) => e.outcome === 'denied').map((e) => [e.actor, e.role])).to.deep.equal([['vic', 'viewer'], ['val', 'viewer']]);
    expect(entries.filter((e) => e.action === 'personality.create' && e.outcome === 'ok').map((e) => [e.actor, e.role])).to.deep.equal([['eve', 'editor']]);
  });

  it('an unknown level is a VALIDATION_ERROR naming `access` in the library, and the flag or variable on the command line', async function () {
    const error = await refusal(Promise.resolve().then(() => env.configuration.as({ actor: 'mallory', access: 'root' as 'admin' })));
    expect(error.code).to.equal('VALIDATION_ERROR');
    expect(error.details.map((d) => d.path)).to.deep.equal(['access']);
    const byFlag = await runCliInProcess([...env.cliStore, '--json', '--as', 'root', 'personality', 'list']);
    expect(byFlag.code).to.equal(2);
    const byVariable = await runCliInProcess([...env.cliStore, '--json', 'personality', 'list'], { env: { AGENTCFG_ROLE: 'root' } });
    expect(JSON.parse(byVariable.stdout).error.details.map((d: { path: string }) => d.path)).to.deep.equal(['AGENTCFG_ROLE']);
  });
});
