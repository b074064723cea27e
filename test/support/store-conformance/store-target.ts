import { createContainer } from '../../../src/di/container';
import { IConfigurationService } from '../../../src/services/configuration/configuration-service';
import type { SecurityContext } from '../../../src/security/security-context';
import { IRecordStore } from '../../../src/storage/record-store';

/** Where a store under test lives, as text another process can be handed (the file store: its data folder). */
export type StoreTarget = { type: 'file'; dataDir: string };

/** A store opened on a target, a context allowed to commit to it, and how to let it go. */
export interface OpenedStore {
  store: IRecordStore;
  context: SecurityContext;
  close(): Promise<void>;
}

/** Opens the store a target names, as any process would: through the container, with nothing seeded. */
export async function openStore(target: StoreTarget, options: { changePollMs?: number } = {}): Promise<OpenedStore> {
  const container = createContainer({ dataDir: target.dataDir, changePollMs: options.changePollMs ?? 50 });
  const store = container.get<IRecordStore>(IRecordStore);
  await store.initialize();
  const context = container.get<IConfigurationService>(IConfigurationService).issueContext();
  return { store, context, close: async () => void (await store.compact?.()) };
}
