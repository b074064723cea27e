import { cp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { createContainer } from '../../../src/di/container';
import type { RecordKind } from '../../../src/domain/record';
import { IConfigurationService } from '../../../src/services/configuration/configuration-service';
import { FAST_RESILIENCE, seedValidRecords } from '../../support/coordination';
import { FaultSwitch } from '../../support/fault-switch';
import { createTestContainer } from '../../support/test-container';
import { makeFastTempDir } from '../fast-temp-dir';
import type { ConfigurationModel, ModelRecord } from './configuration-model';

/** The real services on a data folder, with a switch to make one of them misbehave. */
export interface ModelSystem {
  configuration: IConfigurationService;
  faults: FaultSwitch;
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

  /** A fresh copy of the seeded folder, opened with quick resilience policies and a fault switch; and its model. */
  async open(): Promise<{ model: ConfigurationModel; real: ModelSystem }> {
    await rm(this.run, { recursive: true, force: true });
    await cp(this.seeded, this.run, { recursive: true });
    const container = createContainer({ dataDir: this.run, resilience: FAST_RESILIENCE });
    const faults = new FaultSwitch(container);
    const configuration = container.get<IConfigurationService>(IConfigurationService);
    await configuration.initialize();
    return { model: await readModel(configuration), real: { configuration, faults } };
  }
}
