import fc from 'fast-check';
import { removeFastTempDirs } from './fast-temp-dir';
import { modelCommands, modelStats } from './model/model-commands';
import { ModelRunFolders } from './model/model-system';
import { RELIABILITY } from './settings';

/** Commands per run: short runs keep 300 of them within CI time; the model check after each keeps them sharp. */
const MAX_COMMANDS = 5;

describe('Reliability: model-based — random creates, updates, deletes, workflows and service faults against an in-memory model', function () {
  after(removeFastTempDirs);

  it(`${RELIABILITY.modelRuns} runs: after every command the records are the model's and verify reports exactly what the model expects`, async function () {
    this.timeout(0);
    const folders = await ModelRunFolders.create();
    const started = Date.now();
    let failed = false;
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
      const { commands, completed, refused, workflows, faults, recovered } = modelStats;
      console.log(
        `      model-based: ${RELIABILITY.modelRuns} runs, ${commands} commands, ${failed ? 'FAILED (seed and shrunk sequence below)' : '0 failures'} ` +
          `(${completed} completed, ${refused} refused or undone; ${workflows} workflows, ${faults} injected faults, ${recovered} failed undos recovered), ` +
          `seed ${RELIABILITY.seed}, ${((Date.now() - started) / 1000).toFixed(1)} s`,
      );
    }
  });
});
