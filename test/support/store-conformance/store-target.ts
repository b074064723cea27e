import { createContainer, type ContainerOptions } from '../../../src/di/container';
import { IConfigurationService } from '../../../src/services/configuration/configuration-service';
import type { SecurityContext } from '../../../src/security/security-context';
import { IRecordStore } from '../../../src/storage/record-store';

/**
 * Where a store under test lives, as text another process can be handed: a data folder, or a PostgreSQL
 * database with the URL the app connects as and the URL of the owner who may create its tables.
 */
export type StoreTarget = { type: 'file'; dataDir: string } | { type: 'postgres'; url: string; ownerUrl: string };

/** A store opened on a target, a context allowed to commit to it, and how to let it go. */
export interface OpenedStore {
  store: IRecordStore;
  context: SecurityContext;
  close(): Promise<void>;
}

function containerOptions(target: StoreTarget, url = target.type === 'postgres' ? target.url : ''): ContainerOptions {
  return target.type === 'file' ? { dataDir: target.dataDir, changePollMs: 50 } : { store: { url, maxConnections: 4 }, changePollMs: 50 };
}

/** Opens the store a target names, as any process would: through the container, with nothing seeded. */
export async function openStore(target: StoreTarget): Promise<OpenedStore> {
  if (target.type === 'postgres') {
    // The schema is the owner's to create; the app's role may only read and write rows.
    const owner = createContainer(containerOptions(target, target.ownerUrl)).get<IRecordStore>(IRecordStore);
    await owner.initialize();
    await owner.close?.();
  }
  const container = createContainer(containerOptions(target));
  const store = container.get<IRecordStore>(IRecordStore);
  await store.initialize();
  const context = container.get<IConfigurationService>(IConfigurationService).issueContext();
  return {
    store,
    context,
    close: async () => {
      await store.compact?.();
      await store.close?.();
    },
  };
}
