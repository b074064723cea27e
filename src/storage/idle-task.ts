/** Captured when the module loads, so idle work runs on real time even under a caller's fake clock. */
const realSetTimeout = globalThis.setTimeout;
const realClearTimeout = globalThis.clearTimeout;

/**
 * A task run once nothing has restarted its wait for `idleMs`: housekeeping that should happen when a file or a
 * folder is no longer busy. The wait never keeps the process alive; Infinity never runs the task.
 */
export class IdleTask {
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly idleMs: number,
    private readonly task: () => void,
  ) {}

  /** Starts the wait again from now. */
  restart(): void {
    this.cancel();
    if (!Number.isFinite(this.idleMs)) return;
    this.timer = realSetTimeout(() => {
      this.timer = undefined;
      this.task();
    }, this.idleMs);
    this.timer.unref();
  }

  /** Stops waiting; the task does not run until the next restart. */
  cancel(): void {
    if (this.timer === undefined) return;
    realClearTimeout(this.timer);
    this.timer = undefined;
  }
}
