import type { ChildProcess } from 'node:child_process';
import type { RecordKind } from '../../../src/domain/record';
import { startCompiledWorker } from '../../support/compiled-workers';

/** One line a crash worker printed (see test/support/workers/crash-workload.ts). */
export type WorkerEvent =
  | { type: 'BEGIN'; op: number; name: string; targets: string[] }
  | { type: 'ACK'; op: number; writes: ({ kind: RecordKind; id: string; version: number; digest: string } | { kind: RecordKind; id: string; deleted: true })[] }
  | { type: 'NACK'; op: number; code: string };

/** A worker process and everything it printed. */
export class CrashWorker {
  stdout = '';
  stderr = '';
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private readonly loaded: Promise<void>;

  constructor(readonly child: ChildProcess) {
    let onLoaded: () => void = () => undefined;
    this.loaded = new Promise((resolve) => (onLoaded = resolve));
    child.stdout?.on('data', (chunk: Buffer) => {
      this.stdout += chunk.toString('utf8');
      if (this.stdout.startsWith('LOADED\n')) onLoaded();
    });
    child.stderr?.on('data', (chunk: Buffer) => (this.stderr += chunk.toString('utf8')));
    this.exited = new Promise((resolve, reject) => {
      child.on('error', reject);
      child.on('close', (code, signal) => resolve({ code, signal }));
    });
  }

  /** Resolves once the worker has loaded its code; rejects if it exits first. */
  async ready(): Promise<void> {
    await Promise.race([this.loaded, this.exited.then(() => Promise.reject(new Error(`crash worker exited while loading: ${this.stderr}`)))]);
  }

  /** The complete lines it printed, parsed (a line cut off by the kill is left out). */
  events(): WorkerEvent[] {
    const lines = this.stdout.split('\n').slice(0, -1);
    return lines.flatMap((line) => {
      const match = /^(BEGIN|ACK|NACK) (.*)$/.exec(line);
      return match ? [{ type: match[1], ...(JSON.parse(match[2] as string) as object) } as WorkerEvent] : [];
    });
  }
}

/** Starts a crash worker on a data folder and waits until it has loaded (it starts work when sent GO). */
export async function launchCrashWorker(dataDir: string, seed: number, broken: boolean, appendAboveBytes?: number): Promise<CrashWorker> {
  const flags = [...(broken ? ['--broken-compensation'] : []), ...(appendAboveBytes === undefined ? [] : [`--append-above=${appendAboveBytes}`])];
  const worker = new CrashWorker(await startCompiledWorker('crash-workload', [dataDir, String(seed), ...flags]));
  await worker.ready();
  return worker;
}
