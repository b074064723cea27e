import { expect } from 'chai';
import fc from 'fast-check';
import { cp, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { exitCodeFor } from '../../src/cli/exit-codes';
import { seedValidRecords } from '../support/coordination';
import { hashTree } from '../support/disk';
import { readJournal, statusTrail } from '../support/journals';
import { snapshotRecords } from '../support/records-snapshot';
import { validRecords } from '../support/records';
import { runCliInProcess } from '../support/run-cli-in-process';
import { createTestContainer, type TestContainer } from '../support/test-container';
import { makeFastTempDir, removeFastTempDirs } from './fast-temp-dir';
import { entryPoints, fuzzedBody, MAX_NESTING } from './fuzz/json-inputs';
import { RELIABILITY } from './settings';

/** What the fuzzing saw, for the figures line. */
const stats = { inputs: 0, accepted: 0, rejected: 0, compensated: 0, internalErrors: 0, changedWhenRejected: 0 };

const journals = async (dataDir: string) => (await readdir(join(dataDir, 'workflows')).catch(() => [] as string[])).filter((n) => n.endsWith('.jsonl'));

describe('Reliability: fuzzing every JSON entry point of the command line', function () {
  let seeded: string;
  let env: TestContainer;
  let started = 0;

  before(async function () {
    started = Date.now();
    seeded = await makeFastTempDir('agentcfg-fuzz-seeded-');
    const { configuration } = await createTestContainer({ dataDir: seeded });
    await seedValidRecords(configuration);
    const valid = validRecords();
    await configuration.createPersonality({ ...valid.personality, id: 'spare-p' });
    await configuration.createRole({ ...valid.role, id: 'spare-r' });
    // As a clean exit leaves it: a command's end then has nothing of the seeding to fold into the files.
    await configuration.compact();
  });

  // Each entry point starts from a copy of the same seeded folder, so accepted inputs do not pile up.
  beforeEach(async function () {
    const dataDir = await makeFastTempDir('agentcfg-fuzz-');
    await cp(seeded, dataDir, { recursive: true });
    env = await createTestContainer({ dataDir });
  });

  after(async function () {
    const byEntry = `${entryPoints().length} entry points x ${RELIABILITY.fuzzRuns}`;
    console.log(
      `      fuzzing: ${stats.inputs} inputs (${byEntry}; ${stats.accepted} accepted, ${stats.rejected} rejected, ${stats.compensated} of them after an undone workflow), ` +
        `${stats.internalErrors} internal errors, ${stats.changedWhenRejected} rejected inputs changed the data files, seed ${RELIABILITY.seed}, ${((Date.now() - started) / 1000).toFixed(1)} s`,
    );
    await removeFastTempDirs();
  });

  // Found by this fuzzing: a ~4 KB body nested 2000 deep overflowed the recursive checks (exit 1); inputs are now
  // refused past a fixed nesting depth before any recursive check runs.
  it(`a body nested 2000 deep is refused as invalid, not an internal error (generated nesting stops at ${MAX_NESTING})`, async function () {
    const deep = JSON.parse(`${'['.repeat(2000)}${']'.repeat(2000)}`) as unknown;
    const run = await runCliInProcess(['role', 'create', '--file', '-', '--dir', env.dataDir, '--json'], { stdin: JSON.stringify({ ...validRecords().role, id: 'deep', description: deep }) });
    expect(run.code, run.stdout).to.equal(3);
  });

  for (const [index, entry] of entryPoints().entries()) {
    it(`agentcfg ${entry.name}: no input is an internal error, and a rejected one leaves the data files as they were`, async function () {
      this.timeout(0);
      const dir = ['--dir', env.dataDir, '--json'];
      await fc.assert(
        fc.asyncProperty(fuzzedBody(entry), async (stdin) => {
          stats.inputs++;
          const files = await hashTree(join(env.dataDir, 'config'));
          const records = await snapshotRecords(env.configuration);
          const journalsBefore = new Set(await journals(env.dataDir));
          const run = await runCliInProcess([...entry.args, ...dir], { stdin });
          if (run.code === 1) stats.internalErrors++;
          expect(run.code, `internal error:\n${run.stdout}${run.stderr}`).to.not.equal(1);
          expect(run.code, `an undo failed:\n${run.stdout}`).to.not.equal(10);
          const doc = run.json<{ ok: boolean; error?: { code: string; workflow?: unknown } }>();
          expect(doc.ok, run.stdout).to.equal(run.code === 0);
          if (run.code === 0) {
            stats.accepted++;
            // Warnings of agents left stale by workflows that change a personality or role directly are by design.
            const findings = (await env.configuration.verify()).findings.filter((f) => f.code !== 'STALE_RESOLUTION').map((f) => `${f.code}: ${f.message}`);
            expect(findings, `verify after accepting ${stdin.slice(0, 300)}`).to.deep.equal([]);
            return;
          }
          stats.rejected++;
          // A workflow run that was undone exits 9 whatever its cause; everything else exits by its error code.
          expect(run.code, run.stdout).to.equal(doc.error?.workflow ? 9 : exitCodeFor(doc.error?.code as never));
          const ran = (await journals(env.dataDir)).filter((n) => !journalsBefore.has(n));
          if (ran.length === 0) {
            const same = JSON.stringify(await hashTree(join(env.dataDir, 'config'))) === JSON.stringify(files);
            if (!same) stats.changedWhenRejected++;
            expect(same, `rejected (${doc.error?.code}) yet the data files changed`).to.equal(true);
            return;
          }
          // A workflow got as far as running, then was undone: every record is back as it was.
          stats.compensated++;
          for (const name of ran) expect(statusTrail(await readJournal(env.dataDir, name.replace(/\.jsonl$/, ''))).at(-1), name).to.equal('COMPENSATED');
          const after = await snapshotRecords(env.configuration);
          if (JSON.stringify(after) !== JSON.stringify(records)) stats.changedWhenRejected++;
          expect(after, `rejected (${doc.error?.code}) after an undone workflow, yet records changed`).to.deep.equal(records);
        }),
        { numRuns: RELIABILITY.fuzzRuns, seed: RELIABILITY.seed + index },
      );
    });
  }
});
