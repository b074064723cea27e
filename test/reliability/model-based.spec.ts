import { expect } from 'chai';
import fc from 'fast-check';
import { removeFastTempDirs } from './fast-temp-dir';
import { modelCommands, modelStats, watchUnhandledRejections } from './model/model-commands';
import { ModelRunFolders } from './model/model-system';
import { RELIABILITY } from './settings';

/** Commands per run: short runs keep 300 of them within CI time; the model check after each keeps them sharp. */
const MAX_COMMANDS = 5;

/** From this many runs on (the default is 300), a run in which no storage fault fired fails: they must not silently stop. */
const STORAGE_FAULTS_REQUIRED_FROM_RUNS = 100;

describe('Reliability: model-based — random creates, updates, deletes, workflows, service and storage faults against an in-memory model', function () {
  after(removeFastTempDirs);

  it(`${RELIABILITY.modelRuns} runs: after every command the records are the model's and verify reports exactly what the model expects`, async function () {
    this.timeout(0);
    const folders = await ModelRunFolders.create();
    const started = Date.now();
    let failed = false;
    const stopWatching = watchUnhandledRejections();
    try {
      // On failure fast-check reports the seed, the replay path and the shrunk command sequence.
      await fc.assert(
        fc.asyncProperty(fc.commands(modelCommands, { maxCommands: MAX_COMMANDS }), async (commands) => {
          await fc.asyncModelRun(() => folders.open(), commands);
        }),
        { numRuns: RELIABILITY.modelRuns, seed: RELIABILITY.seed },
      );
    } catch (error) {
      failed = true;
      throw error;
    } finally {
      stopWatching();
      const { commands, completed, refused, workflows, faults, recovered, storageArmed, storageFired, storageRefused, storageUnchanged, storageApplied, restarts } = modelStats;
      console.log(
        `      model-based: ${RELIABILITY.modelRuns} runs, ${commands} commands, ${failed ? 'FAILED (seed and shrunk sequence below)' : '0 failures'} ` +
          `(${completed} completed, ${refused} refused or undone; ${workflows} workflows, ${faults} injected faults, ${recovered} failed undos recovered; ` +
          `${storageArmed} storage faults armed, ${storageFired} fired: ${storageRefused} STORAGE_UNAVAILABLE, ${storageUnchanged} left unchanged, ${storageApplied} found applied, ${restarts} restarts), ` +
          `seed ${RELIABILITY.seed}, ${((Date.now() - started) / 1000).toFixed(1)} s`,
      );
    }
    if (RELIABILITY.modelRuns >= STORAGE_FAULTS_REQUIRED_FROM_RUNS) {
      expect(modelStats.storageFired, `storage faults fired in ${RELIABILITY.modelRuns} runs (${modelStats.storageArmed} armed)`).to.be.greaterThan(0);
    }
  });
});
