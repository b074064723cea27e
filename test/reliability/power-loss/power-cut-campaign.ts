import { rm } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { join, relative, resolve } from 'node:path';
import { createContainer } from '../../../src/di/container';
import { IConfigurationService } from '../../../src/services/configuration/configuration-service';
import type { StorageOptions } from '../../../src/storage/file/file-service';
import { IFileSystem } from '../../../src/storage/file-system';
import { createTestContainer } from '../../support/test-container';
import { makeFastTempDir } from '../fast-temp-dir';
import { DiskModel, type CutKind, type DiskOp } from './disk-model';
import { materialize, RecordingFileSystem, type SyncFilter } from './recording-file-system';

/** One acknowledged operation of a workload. */
export interface WorkloadStep {
  label: string;
  run(configuration: IConfigurationService): Promise<unknown>;
}

/** What a cut left that it must not: a store that does not open, findings of verify, or records of no step. */
export interface CutFailure {
  /** How many of the recorded operations reached the disk model before the cut. */
  prefix: number;
  cut: CutKind;
  problem: 'unloadable' | 'inconsistent' | 'lost-acked-write' | 'not-a-step-state';
  detail: string;
  /** The last operations before the cut, to read the failure by. */
  lastOps: string[];
}

export interface PowerCutReport {
  operations: number;
  cuts: number;
  /** Distinct disks the cuts left, each opened and checked once. */
  disks: number;
  failures: CutFailure[];
  /** The names files were renamed to, in order (relative to the data folder): which paths the workload took. */
  renamedTo: string[];
}

const CUT_KINDS: readonly CutKind[] = ['synced-only', 'names-kept', 'torn'];

/** A store opened after a cut: its records and what verify found, or why it would not open. */
type OpenedStore = { state: string; findings: string[] } | { error: string };

function diskKey(files: ReadonlyMap<string, Buffer>, root: string): string {
  const hash = createHash('sha256');
  for (const path of [...files.keys()].sort()) hash.update(`${relative(root, path)}\0`).update(files.get(path) as Buffer).update('\0');
  return hash.digest('hex');
}

/** Writes a cut's disk into a new folder and opens it as a user would: start-up recovery runs, then verify. */
async function openAfterCut(disk: { files: Map<string, Buffer>; dirs: string[] }, root: string, storage: Partial<StorageOptions>): Promise<OpenedStore> {
  const folder = join(await makeFastTempDir('agentcfg-cut-'), 'data');
  try {
    await materialize(disk, root, folder);
    const configuration = createContainer({ ...storage, dataDir: folder }).get<IConfigurationService>(IConfigurationService);
    await configuration.initialize();
    const state = await stateOf(configuration);
    const report = await configuration.verify();
    return { state, findings: report.findings.map((f) => `${f.code}: ${f.message}`) };
  } catch (error) {
    return { error: (error as Error).message };
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}

/**
 * The records of a data folder, its audit trail and its workflows' journals, in a form two folders can be compared
 * by: a cut must leave all three as one acknowledged step left them (or the next one), so no change is there
 * without its audit entry and journal, and no audit entry or journal speaks of a change that is not there.
 */
async function stateOf(configuration: IConfigurationService): Promise<string> {
  const byId = (a: { id: string }, b: { id: string }) => a.id.localeCompare(b.id);
  return JSON.stringify({
    personalities: (await configuration.getAllPersonalities()).sort(byId),
    roles: (await configuration.getAllRoles()).sort(byId),
    agents: (await configuration.getAllAgents()).sort(byId),
    audit: await configuration.auditEntries(),
    workflows: (await configuration.listWorkflows()).map((run) => ({ id: run.id, status: run.status, steps: run.steps })).sort(byId),
  });
}

function describeOp(op: DiskOp, root: string): string {
  const short = (path: string) => path.slice(root.length + 1);
  switch (op.kind) {
    case 'create':
    case 'write':
    case 'sync':
    case 'unlink':
      return `${op.kind} ${short(op.path)}`;
    case 'rename':
      return `rename ${short(op.from)} -> ${short(op.to)}`;
    case 'link':
      return `link ${short(op.existing)} -> ${short(op.path)}`;
    case 'sync-folder':
    case 'mkdir':
      return `${op.kind} ${short(op.dir) || '.'}`;
    case 'ack':
      return `ack ${op.label}`;
  }
}

/**
 * Runs `workload` once on a fresh data folder through a recording file system, then replays every prefix of the
 * operations it made onto a disk model and, for each kind of cut, writes what a power cut there would leave into
 * a new folder, opens it (start-up recovery runs) and checks it: it must load, verify clean, and hold exactly
 * the records of the last acknowledged step or of the step after it.
 */
export async function runPowerCutCampaign(
  workload: readonly WorkloadStep[],
  options: { skipSync?: SyncFilter; setup?: WorkloadStep[]; storage?: Partial<StorageOptions> } = {},
): Promise<PowerCutReport> {
  // No background compaction: it would add operations to the recording while the cuts are being made. The
  // workload compacts when it asks to (IConfigurationService.compact).
  const storage = { compactAfterIdleMs: Infinity, ...options.storage };
  const dataDir = resolve(await makeFastTempDir('agentcfg-power-'));
  const recorder = new RecordingFileSystem(dataDir, options.skipSync);
  const env = await createTestContainer({ ...storage, dataDir, overrides: [[IFileSystem, recorder]] });
  for (const step of options.setup ?? []) await step.run(env.configuration);

  const image = await recorder.start();
  const states = [await stateOf(env.configuration)];
  for (const step of workload) {
    await step.run(env.configuration);
    recorder.ack(step.label);
    states.push(await stateOf(env.configuration));
  }

  const ops = [...recorder.ops];
  const failures: CutFailure[] = [];
  const model = new DiskModel(image.files, image.dirs);
  const opened = new Map<string, Promise<OpenedStore>>();
  let acked = 0;
  let cuts = 0;
  for (let prefix = 0; prefix <= ops.length; prefix++) {
    if (prefix > 0) {
      const op = ops[prefix - 1] as DiskOp;
      model.apply(op);
      if (op.kind === 'ack') acked++;
    }
    for (const cut of CUT_KINDS) {
      if (cut === 'torn' && !model.hasPendingWrite) continue;
      cuts++;
      const fail = (problem: CutFailure['problem'], detail: string) =>
        failures.push({ prefix, cut, problem, detail, lastOps: ops.slice(Math.max(0, prefix - 4), prefix).map((op) => describeOp(op, dataDir)) });
      // Many cuts leave the same bytes (a write nobody synced is lost either way): each distinct disk is opened once.
      const disk = model.afterCut(cut);
      const key = diskKey(disk.files, dataDir);
      if (!opened.has(key)) opened.set(key, openAfterCut(disk, dataDir, storage));
      const store = await (opened.get(key) as Promise<OpenedStore>);
      if ('error' in store) {
        fail('unloadable', store.error);
        continue;
      }
      if (store.findings.length > 0) fail('inconsistent', store.findings.join('; '));
      const allowed = states.slice(acked, acked + 2);
      if (allowed.includes(store.state)) continue;
      const earlier = states.slice(0, acked).lastIndexOf(store.state);
      if (earlier >= 0) fail('lost-acked-write', `holds the records of step ${earlier} though step ${acked} was acknowledged`);
      else fail('not-a-step-state', `holds records matching no step (after ${acked} acknowledged)`);
    }
  }
  const renamedTo = ops.flatMap((op) => (op.kind === 'rename' ? [relative(dataDir, op.to)] : []));
  return { operations: ops.filter((op) => op.kind !== 'ack').length, cuts, disks: opened.size, failures, renamedTo };
}
