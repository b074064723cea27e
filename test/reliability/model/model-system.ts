import { cp, readdir, rm } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { createContainer } from '../../../src/di/container';
import type { ModelledKind as RecordKind } from './modelled-kind';
import { IConfigurationService } from '../../../src/services/configuration/configuration-service';
import { FAST_RESILIENCE, seedValidRecords } from '../../support/coordination';
import { FaultSwitch } from '../../support/fault-switch';
import { createTestContainer } from '../../support/test-container';
import { makeFastTempDir } from '../fast-temp-dir';
import type { ConfigurationModel, ModelRecord } from './configuration-model';
import { FaultyFileSystem } from '../../support/faulty-file-system';

/**
 * The real services on a data folder, with a switch to make one of them misbehave, and one to make a file-system
 * call fail under all of them (the container stores through it).
 */
export interface ModelSystem {
  configuration: IConfigurationService;
  faults: FaultSwitch;
  storage: FaultyFileSystem;
  /**
   * A new process on the same data folder, as the next CLI command would be: a fresh container over the same file
   * system, started (start-up recovery included); `configuration` and `faults` are then its.
   */
  restart(): Promise<void>;
}

/** A container on `dataDir` over `storage`'s file system, with quick resilience policies and a fault switch, started. */
async function start(dataDir: string, storage: FaultyFileSystem): Promise<{ configuration: IConfigurationService; faults: FaultSwitch }> {
  // No folding in the background: a container left behind by a restart must not write into the folder later.
  const container = createContainer({ dataDir, resilience: FAST_RESILIENCE, fileSystem: storage.fs, compactAfterIdleMs: Infinity });
  const faults = new FaultSwitch(container);
  const configuration = container.get<IConfigurationService>(IConfigurationService);
  await configuration.initialize();
  return { configuration, faults };
}

/** Lock folders, lock-owner records and temp files under `dataDir`: what a later command could trip over. */
export async function leftovers(dataDir: string): Promise<string[]> {
  const found: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (/\.lock$|\.lock\.owner$|\.tmp$|\.tmp-/.test(entry.name)) found.push(relative(dataDir, path));
      else if (entry.isDirectory()) await walk(path);
    }
  };
  await walk(dataDir);
  return found.sort();
}

/** The field each kind's commands write, as the model keeps it. */
export function markOf(kind: RecordKind, record: Record<string, unknown>): string {
  if (kind === 'personality') return String(record.humor);
  if (kind === 'role') return String(record.description);
  return String(record.color);
}

/** The model of what a data folder holds now. */
export async function readModel(configuration: IConfigurationService): Promise<ConfigurationModel> {
  const model: ConfigurationModel = { personality: new Map(), role: new Map(), agent: new Map() };
  const add = (kind: RecordKind, records: readonly object[]) => {
    for (const raw of records) {
      const record = raw as Record<string, unknown> & { id: string; version: number; isTemplate: boolean };
      const entry: ModelRecord = { version: record.version, mark: markOf(kind, record), template: record.isTemplate };
      if (kind === 'agent') {
        const resolution = record.resolution as { personalityVersion: number; roleVersion: number } | undefined;
        Object.assign(entry, { personalityId: record.personalityId, roleId: record.roleId });
        if (resolution) entry.stamp = { personality: resolution.personalityVersion, role: resolution.roleVersion };
      }
      model[kind].set(record.id, entry);
    }
  };
  add('personality', await configuration.getAllPersonalities());
  add('role', await configuration.getAllRoles());
  add('agent', await configuration.getAllAgents());
  return model;
}

/**
 * Data folders for the runs of the model-based test: one seeded folder (templates and the valid records) made
 * once, copied over one run folder before each run, so a run starts in milliseconds from the same state.
 */
export class ModelRunFolders {
  private constructor(
    private readonly seeded: string,
    private readonly run: string,
  ) {}

  static async create(): Promise<ModelRunFolders> {
    const root = await makeFastTempDir('agentcfg-model-');
    const seeded = join(root, 'seeded');
    const env = await createTestContainer({ dataDir: seeded });
    await seedValidRecords(env.configuration);
    return new ModelRunFolders(seeded, join(root, 'run'));
  }

  /** A fresh copy of the seeded folder, opened with quick resilience policies and both fault switches; and its model. */
  async open(): Promise<{ model: ConfigurationModel; real: ModelSystem }> {
    await rm(this.run, { recursive: true, force: true });
    await cp(this.seeded, this.run, { recursive: true });
    const dataDir = this.run;
    const storage = new FaultyFileSystem();
    const real: ModelSystem = {
      ...(await start(dataDir, storage)),
      storage,
      async restart() {
        storage.disarm();
        Object.assign(real, await start(dataDir, storage));
      },
    };
    return { model: await readModel(real.configuration), real };
  }
}
