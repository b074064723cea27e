import { expect } from 'chai';
import * as agentcfg from '../../../src';
import { validRecords } from '../../support/records';
import { makeTempDir } from '../../support/test-container';

describe('Feature: the library entry point', function () {
  it('opens a data folder, manages records and resolves an agent through the public exports only', async function () {
    const dataDir = await makeTempDir('agentcfg-lib-');
    const config = await agentcfg.createConfigurationService({ dataDir });
    const valid = validRecords();
    await config.createPersonality(valid.personality);
    await config.createRole(valid.role);
    const agent = await config.createAgent(valid.agent);
    const resolved = await config.resolveAgent(agent.id);
    expect(resolved.systemPrompt).to.equal(agentcfg.composeSystemPrompt(resolved.role, resolved.personality));
    expect((await config.summary()).roles.templates).to.equal(agentcfg.ROLE_TEMPLATES.length);

    const error = await config.deleteRole('reviewer').catch((e: unknown) => e);
    expect(agentcfg.isAgentcfgError(error)).to.equal(true);
    expect(agentcfg.hasErrorCode(error, agentcfg.ErrorCode.REFERENCE_ERROR)).to.equal(true);
    expect(agentcfg.isAgentcfgError(new Error('plain'))).to.equal(false);
    expect(JSON.parse(JSON.stringify(error))).to.have.keys(['code', 'message', 'details']);
  });

  it('shares one data folder between two instances in one process without stale reads', async function () {
    const dataDir = await makeTempDir('agentcfg-lib-');
    const first = await agentcfg.createConfigurationService({ dataDir });
    const second = await agentcfg.createConfigurationService({ dataDir });
    await first.createRole(validRecords().role);
    expect((await second.getRole('reviewer'))?.version).to.equal(1);
    await second.updateRole('reviewer', { name: 'Renamed' }, { expectedVersion: 1 });
    expect((await first.getRole('reviewer'))?.name).to.equal('Renamed');
    const stale = await first.updateRole('reviewer', { name: 'Lost' }, { expectedVersion: 1 }).catch((e: unknown) => e);
    expect(agentcfg.hasErrorCode(stale, 'CONFLICT')).to.equal(true);
  });
});
