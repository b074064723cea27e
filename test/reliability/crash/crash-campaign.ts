import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { digestOf } from '../../../src/audit/audit-entry';
import { createContainer } from '../../../src/di/container';
import type { RecordKind } from '../../../src/domain/record';
import { IConfigurationService } from '../../../src/services/configuration/configuration-service';
import { seededRandom } from '../../support/seeded-random';
import { makeTempDir } from '../../support/test-container';
import { applyEvents, compareWithAcks, type RecordStates } from './ack-history';
import { launchCrashWorker, type CrashWorker } from './crash-worker';

/** How a campaign runs. */
export interface CrashCampaignOptions {
  kills: number;
  seed: number;
  /** Each worker is killed after a random delay in [0, maxDelayMs) from when it was told to start. */
  maxDelayMs: number;
  /** The worker's undo does nothing (the campaign must then report failures). */
  brokenCompensation?: boolean;
  /** A fresh data folder after this many kills, so verify and start-up do not slow down as journals pile up. */
  killsPerFolder?: number;
  /** Campaigns run side by side, each on its own folder (default 2). */
  lanes?: number;
  /** StorageOptions.appendAboveBytes for the workers and for recovery (0: every change goes to the change logs). */
  appendAboveBytes?: number;
}

/** What a campaign found. */
export interface CrashCampaignResult {
  kills: number;
  /** Kills after which verify was not clean, or the records did not match what the worker had acknowledged. */
  inconsistent: number;
  /** Acknowledged writes missing after recovery (the record gone, or older than acknowledged). */
  lostAckedWrites: number;
  ackedOperations: number;
  ackedWrites: number;
  refusedOperations: number;
  /** Kills that hit an operation between its BEGIN and its ACK or NACK. */
  inFlight: number;
  recoveredWorkflows: number;
  /** Kills that left the data or audit lock without its owner record (the next writer waits for it to go stale). */
  ownerlessLocks: number;
  /** Recoveries that took over 2 s. */
  slowRecoveries: number;
  /** The first problems found, for the failure message. */
  problems: string[];
}

/** Every record the workload may touch (templates left out), by "kind:id". */
async function recordStates(configuration: IConfigurationService): Promise<RecordStates> {
  const states: RecordStates = new Map();
  const add = (kind: RecordKind, records: { id: string; version: number; isTemplate?: boolean }[]) => {
    for (const record of records) if (!record.isTemplate) states.set(`${kind}:${record.id}`, { version: record.version, digest: digestOf(record) });
  };
  add('personality', await configuration.getAllPersonalities());
  add('role', await configuration.getAllRoles());
  add('agent', await configuration.getAllAgents());
  return states;
}

/** The pid an owner record names, if it is readable. */
function pidOf(owner: string): unknown {
  try {
    return (JSON.parse(owner) as { pid?: unknown }).pid;
  } catch {
    return undefined;
  }
}

/**
 * Data and audit lock folders without a readable owner record beside them (the kill came between taking the
 * lock and recording its owner, or between removing the record and the lock): the next writer cannot tell the
 * owner is dead and waits for the lock to go stale.
 */
async function locksWithoutOwner(dataDir: string): Promise<string[]> {
  const found: string[] = [];
  for (const folder of ['', 'config', 'logs']) {
    const names = await readdir(join(dataDir, folder)).catch(() => [] as string[]);
    for (const name of names.filter((n) => n.endsWith('.lock'))) {
      const owner = await readFile(join(dataDir, folder, `${name}.owner`), 'utf8').catch(() => '');
      if (typeof pidOf(owner) !== 'number') found.push(join(folder, name));
    }
  }
  return found;
}

function emptyResult(): CrashCampaignResult {
  return { kills: 0, inconsistent: 0, lostAckedWrites: 0, ackedOperations: 0, ackedWrites: 0, refusedOperations: 0, inFlight: 0, recoveredWorkflows: 0, ownerlessLocks: 0, slowRecoveries: 0, problems: [] };
}

/** One lane: its own data folder (a fresh one every `killsPerFolder` kills) and its own sequence of workers. */
async function runLane(options: CrashCampaignOptions, lane: number, kills: number): Promise<CrashCampaignResult> {
  const random = seededRandom(options.seed + lane);
  const killsPerFolder = options.killsPerFolder ?? 100;
  const broken = options.brokenCompensation === true;
  const storage = options.appendAboveBytes === undefined ? {} : { appendAboveBytes: options.appendAboveBytes };
  const launch = (kill: number) => launchCrashWorker(dataDir, seedOf(kill), broken, storage.appendAboveBytes);
  const result = emptyResult();
  const seedOf = (kill: number) => (options.seed + lane * 104_729 + kill * 7919) >>> 0;
  let dataDir = '';
  let known: RecordStates = new Map();
  let next: Promise<CrashWorker> | undefined;
  try {
    for (let kill = 0; kill < kills; kill++) {
      if (kill % killsPerFolder === 0) {
        dataDir = await makeTempDir('agentcfg-crash-');
        known = new Map();
      }
      const workerSeed = seedOf(kill);
      const worker = await (next ?? launch(kill));
      // The next worker loads its code while this one runs; it touches the folder only when told to go.
      const more = kill + 1 < kills && (kill + 1) % killsPerFolder !== 0;
      next = more ? launch(kill + 1) : undefined;
      next?.catch(() => undefined);
      const delay = Math.floor(random() * options.maxDelayMs);
      worker.child.stdin?.write('GO\n');
      await new Promise((resolve) => setTimeout(resolve, delay));
      worker.child.kill('SIGKILL');
      const exit = await worker.exited;
      if (exit.signal !== 'SIGKILL') throw new Error(`crash worker ${workerSeed} stopped by itself (exit ${exit.code}) before the kill:\n${worker.stderr}`);
      result.kills++;
      const inFlight = applyEvents(worker.events(), known, result, String(workerSeed));
      if (inFlight) result.inFlight++;
      if ((await locksWithoutOwner(dataDir)).length > 0) result.ownerlessLocks++;

      const started = Date.now();
      // Recovery as the product ships (default resilience), as `agentcfg workflow recover` runs it.
      const configuration = createContainer({ ...storage, dataDir }).get<IConfigurationService>(IConfigurationService);
      await configuration.initialize();
      // Start-up recovery's reports first, then the explicit retry's: the last word on each workflow counts.
      const reports = [...new Map((await configuration.recoverWorkflows({ includeFailed: true })).map((r) => [r.workflowId, r])).values()];
      if (Date.now() - started > 2000) result.slowRecoveries++;
      result.recoveredWorkflows += reports.filter((r) => r.to === 'COMPENSATED').length;
      const verify = await configuration.verify();
      const actual = await recordStates(configuration);
      const comparison = compareWithAcks(known, actual, inFlight);
      result.lostAckedWrites += comparison.lost.length;
      const failures = [
        ...reports.filter((r) => r.to !== 'COMPENSATED').map((r) => `recovery left workflow ${r.workflowId} ${r.to}${r.skipped ? ` (${r.skipped})` : ''}`),
        ...verify.findings.map((f) => `verify: ${f.code}: ${f.message}`),
        ...comparison.lost.map((l) => `lost: ${l}`),
        ...comparison.unexplained.map((u) => `unacknowledged change: ${u}`),
        ...(comparison.torn ? [comparison.torn] : []),
      ];
      if (failures.length > 0) {
        result.inconsistent++;
        if (result.problems.length < 10) result.problems.push(`kill ${kill + 1} of lane ${lane} (worker seed ${workerSeed}, after ${delay} ms, folder ${dataDir}):\n    ${failures.join('\n    ')}`);
      }
      // Later kills are judged on their own: what this one left is where the next starts.
      known = actual;
    }
  } finally {
    await next?.then((w) => w.child.kill('SIGKILL')).catch(() => undefined);
  }
  return result;
}

/**
 * The crash campaign: a worker runs the mixed workload and is SIGKILLed after a random (seeded) delay; then
 * recovery runs (start-up recovery and `recoverWorkflows({ includeFailed: true })`), verify must be clean and the
 * records must match every acknowledged write. Each lane keeps its folder across kills, so crash states
 * accumulate; lanes run side by side to use the time one spends waiting on the disk.
 */
export async function runCrashCampaign(options: CrashCampaignOptions): Promise<CrashCampaignResult> {
  const lanes = Math.max(1, Math.min(options.lanes ?? 2, options.kills));
  return mergeResults(await Promise.all(Array.from({ length: lanes }, (_, lane) => runLane(options, lane, Math.floor(options.kills / lanes) + (lane < options.kills % lanes ? 1 : 0)))));
}

/** The sum of several campaigns' results. */
export function mergeResults(results: readonly CrashCampaignResult[]): CrashCampaignResult {
  const total = emptyResult();
  for (const result of results) {
    for (const key of Object.keys(total) as (keyof CrashCampaignResult)[]) {
      if (key === 'problems') total.problems.push(...result.problems);
      else total[key] += result[key];
    }
  }
  return total;
}

/** The campaign's one-line figures. */
export function campaignFigures(label: string, result: CrashCampaignResult): string {
  return (
    `${label}: ${result.kills} kills, ${result.inconsistent} inconsistent, ${result.lostAckedWrites} lost acked writes ` +
    `(${result.ackedWrites} acked writes in ${result.ackedOperations} operations, ${result.refusedOperations} refused operations, ` +
    `${result.inFlight} kills mid-operation, ${result.recoveredWorkflows} workflows recovered, ` +
    `${result.ownerlessLocks} kills left the data or audit lock without its owner record, ${result.slowRecoveries} recoveries over 2 s)`
  );
}
