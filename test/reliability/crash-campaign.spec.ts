import { expect } from 'chai';
import { campaignFigures, runCrashCampaign } from './crash/crash-campaign';
import { RELIABILITY } from './settings';

describe('Reliability: crash campaign — SIGKILL a worker mid-workload, recover, verify, and find every acknowledged write', function () {
  it(`${RELIABILITY.crashIterations} kills: verify is clean after each recovery and no acknowledged write is lost`, async function () {
    this.timeout(0);
    const result = await runCrashCampaign({ kills: RELIABILITY.crashIterations, seed: RELIABILITY.seed, maxDelayMs: 1500 });
    console.log(`      ${campaignFigures('crash campaign', result)}, seed ${RELIABILITY.seed}`);
    expect(result.problems, result.problems.join('\n')).to.deep.equal([]);
    expect(result.inconsistent).to.equal(0);
    expect(result.lostAckedWrites).to.equal(0);
    expect(result.ackedWrites, 'the workers got work done between kills').to.be.greaterThan(0);
  });

  it(`${Math.ceil(RELIABILITY.crashIterations / 2)} kills with every change written as its whole file: the same holds`, async function () {
    this.timeout(0);
    const result = await runCrashCampaign({ kills: Math.ceil(RELIABILITY.crashIterations / 2), seed: RELIABILITY.seed + 1, maxDelayMs: 1500, appendAboveBytes: Infinity });
    console.log(`      ${campaignFigures('crash campaign, every change written whole', result)}, seed ${RELIABILITY.seed + 1}`);
    expect(result.problems, result.problems.join('\n')).to.deep.equal([]);
    expect(result.inconsistent).to.equal(0);
    expect(result.lostAckedWrites).to.equal(0);
    expect(result.ackedWrites, 'the workers got work done between kills').to.be.greaterThan(0);
  });
});
