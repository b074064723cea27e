import { expect } from 'chai';
import { cpSync } from 'node:fs';
import { createContainer } from '../../../src/di/container';
import { IConfigurationService } from '../../../src/services/configuration/configuration-service';
import { ExitCode } from '../../../src/cli/exit-codes';
import { runCliInProcess } from '../../support/run-cli-in-process';
import { makeTempDir } from '../../support/test-container';
import { agentWithDependencies, validRecords } from '../../support/records';
import { snapshotRecords } from '../../support/records-snapshot';
import { ENVIRONMENT_ERRNOS, FaultyFileSystem, type StorageFault } from '../../support/faulty-file-system';
import type { CliRun } from '../../support/run-cli';
import { leftoversIn } from '../../support/leftovers';

/** The words each fault's message must use: the cause in plain words, not only its code. */
const CAUSE_WORDS: Record<(typeof ENVIRONMENT_ERRNOS)[number], string> = {
  ENOSPC: 'the disk is full',
  EDQUOT: 'quota',
  EROFS: 'read-only',
  EACCES: 'permission',
  EMFILE: 'too many files open',
  EIO: 'I/O error',
};

/** The command line in this process, storing through `fault`'s file system (the real one, with a fault planted). */
function cli(args: readonly string[], options: { stdin?: string; fault?: FaultyFileSystem } = {}): Promise<CliRun> {
  return runCliInProcess(args, { env: { AGENTCFG_ACTOR: 'tester' }, ...(options.stdin === undefined ? {} : { stdin: options.stdin }), ...(options.fault ? { fileSystem: options.fault.fs } : {}) });
}

/** Every record, with the times a run stamps left out, to compare "the same records". */
async function recordsIn(dataDir: string): Promise<string> {
  const configuration = createContainer({ dataDir, compactAfterIdleMs: Infinity }).get<IConfigurationService>(IConfigurationService);
  const snapshot = await snapshotRecords(configuration);
  return JSON.stringify(snapshot, (key, value: unknown) => (key === 'createdAt' || key === 'updatedAt' ? undefined : value));
}

interface Operation {
  name: string;
  args: string[];
  stdin?: string;
}

const OPERATIONS: Operation[] = [
  { name: 'a create-agent workflow', args: ['agent', 'create-with', '--file', '-'], stdin: JSON.stringify(agentWithDependencies('new')) },
  { name: 'an update', args: ['personality', 'update', 'mentor', '--file', '-'], stdin: JSON.stringify({ humor: 91, description: 'changed' }) },
  { name: 'a delete', args: ['personality', 'delete', 'mentor'] },
];

describe('Faults of the storage environment: every write, fsync, rename, mkdir and open failing in turn', function () {
  this.timeout(600_000);
  let base: string;

  before(async function () {
    base = await makeTempDir('agentcfg-faults-base-');
    expect((await cli(['--dir', base, 'init'])).code).to.equal(0);
    const created = await cli(['--dir', base, 'personality', 'create', '--file', '-'], { stdin: JSON.stringify({ ...validRecords().personality, id: 'mentor' }) });
    expect(created.code, created.stderr).to.equal(0);
  });

  /** A fresh copy of the prepared folder. */
  async function folder(): Promise<string> {
    const dir = await makeTempDir('agentcfg-faults-');
    cpSync(base, dir, { recursive: true });
    return dir;
  }

  for (const operation of OPERATIONS) {
    describe(operation.name, function () {
      let recordsBefore: string;
      let recordsAfter: string;
      let calls: number;

      before(async function () {
        const dir = await folder();
        recordsBefore = await recordsIn(dir);
        const counting = new FaultyFileSystem();
        const run = await cli(['--dir', dir, ...operation.args], { ...(operation.stdin ? { stdin: operation.stdin } : {}), fault: counting });
        expect(run.code, run.stderr).to.equal(0);
        recordsAfter = await recordsIn(dir);
        expect(recordsAfter, 'the operation changes records').not.to.equal(recordsBefore);
        calls = counting.counted;
        expect(calls, 'the operation makes faultable calls').to.be.greaterThan(5);
      });

      for (const errno of ENVIRONMENT_ERRNOS) {
        it(`with ${errno} at each call in turn: exits 11 naming the cause or succeeds, never half, and the next command works`, async function () {
          const outcomes = { refused: 0, succeeded: 0 };
          for (let n = 1; n <= calls; n++) {
            const dir = await folder();
            const fault: StorageFault = { k: n, errno };
            const faulty = new FaultyFileSystem(fault);
            const run = await cli(['--dir', dir, ...operation.args], { ...(operation.stdin ? { stdin: operation.stdin } : {}), fault: faulty });
            const where = `fault ${errno} at call ${n} (${faulty.fired?.call ?? '-'} ${faulty.fired?.file ?? ''}): exit ${run.code}\n${run.stderr}`;
            expect(faulty.fired, `the fault was hit: ${where}`).not.to.equal(undefined);
            expect(run.code, where).to.be.oneOf([ExitCode.OK, ExitCode.STORAGE_UNAVAILABLE]);
            expect(run.stderr, where).not.to.match(/INTERNAL_ERROR|\n\s+at /);
            if (run.code === ExitCode.STORAGE_UNAVAILABLE) {
              outcomes.refused++;
              expect(run.stderr, where).to.include('STORAGE_UNAVAILABLE').and.include(CAUSE_WORDS[errno]);
            } else {
              outcomes.succeeded++;
            }
            const records = await recordsIn(dir);
            if (run.code === ExitCode.OK) expect(records, `a success leaves the records as after: ${where}`).to.equal(recordsAfter);
            else expect(records, `never half: ${where}`).to.be.oneOf([recordsBefore, recordsAfter]);

            // Without the fault: the next command (start-up recovery included) works at once, no stale lock.
            const next = await cli(['--dir', dir, 'personality', 'create', '--file', '-'], { stdin: JSON.stringify({ ...validRecords().personality, id: 'next' }) });
            expect(next.code, `next command after ${where}\n${next.stderr}`).to.equal(0);
            const verify = await cli(['--dir', dir, 'verify']);
            expect(verify.code, `verify after ${where}\n${verify.stdout}${verify.stderr}`).to.equal(0);
            expect(leftoversIn(dir), `nothing left behind after ${where}`).to.deep.equal([]);
          }
          expect(outcomes.refused, 'most faults refuse the command').to.be.greaterThan(0);
        });
      }
    });
  }
});
