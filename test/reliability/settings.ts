/** A positive integer from the environment, or the default. */
function fromEnv(name: string, fallback: number): number {
  const text = process.env[name];
  if (text === undefined || text === '') return fallback;
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value < 0) throw new Error(`${name} must be a non-negative integer, not '${text}'`);
  return value;
}

/**
 * How hard the reliability campaign pushes: CI defaults, raised through the environment (or the flags of
 * test/reliability/run-reliability.ts, which set it). RELIABILITY_SEED replays a run; otherwise each run picks a
 * seed and prints it.
 */
export const RELIABILITY = {
  seed: fromEnv('RELIABILITY_SEED', Date.now() % 2_147_483_647),
  /** fast-check runs of the model-based test. */
  modelRuns: fromEnv('RELIABILITY_RUNS', 300),
  /** Kills of the crash campaign. */
  crashIterations: fromEnv('CRASH_ITERATIONS', 50),
  /** Inputs per JSON entry point of the fuzzing. */
  fuzzRuns: fromEnv('FUZZ_RUNS', 40),
} as const;
