import { expect } from 'chai';
import { compareWithAcks } from './crash/ack-history';
import { campaignFigures, mergeResults, runCrashCampaign } from './crash/crash-campaign';
import { RELIABILITY } from './settings';

const at = (version: number, digest = `d${version}`) => ({ version, digest });

describe('Reliability: the crash campaign harness itself', function () {
  describe('compareWithAcks', function () {
    it('accepts records exactly as acknowledged, and an in-flight operation that happened whole or not at all', function () {
      const known = new Map([['role:r', at(2)], ['agent:a', at(1)]]);
      expect(compareWithAcks(known, new Map(known), undefined)).to.deep.equal({ lost: [], unexplained: [] });
      const inFlight = { name: 'update-role', targets: ['role:r', 'agent:a'] };
      expect(compareWithAcks(known, new Map([['role:r', at(3)], ['agent:a', at(2)]]), inFlight)).to.deep.equal({ lost: [], unexplained: [] });
      expect(compareWithAcks(known, new Map(), { name: 'delete', targets: ['role:r', 'agent:a'] })).to.deep.equal({ lost: [], unexplained: [] });
    });

    it('names lost writes, changes nobody acknowledged, and an in-flight operation cut in half', function () {
      const known = new Map([['role:r', at(2)], ['agent:a', at(1)]]);
      const lost = compareWithAcks(known, new Map([['role:r', at(1)], ['agent:a', at(1, 'other')]]), undefined);
      expect(lost.lost).to.have.length(2);
      const extra = compareWithAcks(known, new Map([...known, ['personality:p', at(1)]]), undefined);
      expect(extra.unexplained).to.have.length(1);
      const torn = compareWithAcks(known, new Map([['role:r', at(3)], ['agent:a', at(1)]]), { name: 'update-role', targets: ['role:r', 'agent:a'] });
      expect(torn.torn).to.include('cut in half');
    });
  });

  it('fails when compensation is broken: workers whose undo does nothing (Sinon stub of revert) leave changes the campaign reports', async function () {
    this.timeout(0);
    // Rounds of 4 kills until one finds something (almost always the first): a kill can land before any undo ran.
    let result = await runCrashCampaign({ kills: 4, seed: RELIABILITY.seed, maxDelayMs: 3000, brokenCompensation: true });
    for (let round = 1; round < 6 && result.inconsistent === 0; round++) {
      const more = await runCrashCampaign({ kills: 4, seed: RELIABILITY.seed + round, maxDelayMs: 3000, brokenCompensation: true });
      result = mergeResults([result, more]);
    }
    console.log(`      ${campaignFigures('crash campaign with broken compensation (must fail)', result)}`);
    expect(result.refusedOperations, 'the workers ran workflows that had to be undone').to.be.greaterThan(0);
    expect(result.inconsistent, 'kills after which the campaign found the half-made changes').to.be.greaterThan(0);
    expect(result.problems.join('\n')).to.include('unacknowledged change');
  });
});
