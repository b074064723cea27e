import sinon from 'sinon';

// Captured before any test fakes the timers: real waits let file I/O finish between fake-clock steps.
const realSetTimeout = globalThis.setTimeout;
const realWait = (ms: number) => new Promise<void>((resolve) => realSetTimeout(resolve, ms));

/** Fake timers for policy timing, starting at the real time so file timestamps stay sensible. */
export function installFakeClock(): sinon.SinonFakeTimers {
  return sinon.useFakeTimers({ now: Date.now(), toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
}

/**
 * Advances fake time in steps of `stepMs` until `promise` settles, waiting 1 ms of real time before each step.
 * Fake timers do not touch file I/O, and the real wait lets it finish, so fake time never outruns real work by
 * more than `stepMs` per millisecond: a 2 s timeout cannot fire just because a disk write took a few ms.
 */
export async function settle<T>(clock: sinon.SinonFakeTimers, promise: Promise<T>, stepMs = 1, limitMs = 120_000): Promise<T> {
  let done = false;
  promise.then(
    () => (done = true),
    () => (done = true),
  );
  for (let elapsed = 0; !done && elapsed < limitMs; elapsed += stepMs) {
    await realWait(1);
    await clock.tickAsync(stepMs);
  }
  return promise;
}
