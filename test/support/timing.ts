import addContext from 'mochawesome/addContext';

/** Runs one step of a scenario and records how long it took in the mochawesome report. */
export async function timedStep<T>(ctx: Mocha.Context, label: string, work: () => Promise<T>): Promise<T> {
  const started = process.hrtime.bigint();
  try {
    return await work();
  } finally {
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    addContext(ctx, { title: `step: ${label}`, value: `${ms.toFixed(1)} ms` });
  }
}
