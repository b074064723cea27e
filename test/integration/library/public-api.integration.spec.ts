import { expect } from 'chai';
import * as agentcfg from '../../../src';
import { validRecords } from '../../support/records';
import { freshStoreOptions } from '../../support/test-container';

describe('Feature: the library entry point', function () {
  const opened: agentcfg.IConfigurationService[] = [];
  const open = async (options: agentcfg.ContainerOptions) => {
    const configuration = await agentcfg.createConfigurationService(options);
    opened.push(configuration);
    return configuration;
  };

  afterEach(async function () {
    await Promise.all(opened.splice(0).map((configuration) => configuration.close()));
  });

  it('opens a data folder, manages records and resolves an agent through the public exports only', async function () {
    const config = await open(await freshStoreOptions('agentcfg-lib-'));
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
    const store = await freshStoreOptions('agentcfg-lib-');
    const first = await open(store);
    const second = await open(store);
    await first.createRole(validRecords().role);
    expect((await second.getRole('reviewer'))?.version).to.equal(1);
    await second.updateRole('reviewer', { name: 'Renamed' }, { expectedVersion: 1 });
    expect((await first.getRole('reviewer'))?.name).to.equal('Renamed');
    const stale = await first.updateRole('reviewer', { name: 'Lost' }, { expectedVersion: 1 }).catch((e: unknown) => e);
    expect(agentcfg.hasErrorCode(stale, 'CONFLICT')).to.equal(true);
  });
});
