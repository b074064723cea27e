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

/** Attaches a workflow run's per-step status, attempts and duration to the mochawesome report. */
export function attachRun(ctx: Mocha.Context, run: { name: string; status: string; durationMs: number; steps: { id: string; status: string; attempts: number; durationMs?: number }[] }): void {
  addContext(ctx, {
    title: `workflow ${run.name}: ${run.status} in ${run.durationMs} ms`,
    value: run.steps.map((s) => `${s.id}: ${s.status}, ${s.attempts} attempt(s), ${s.durationMs ?? '-'} ms`),
  });
}

/** Polls `condition` every 10 ms until it holds or `ms` pass; says whether it held (for work done in the background). */
export async function waitUntil(condition: () => Promise<boolean>, ms: number): Promise<boolean> {
  for (const until = Date.now() + ms; Date.now() < until; ) {
    if (await condition()) return true;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return condition();
}
