import { createConfigurationService, createContainer, IConfigurationService, IRecordStore, type Personality } from '../../dist/index';
import type { Contender } from '../contender';
import { ServiceContender } from './service-contender';
import { postgresUrls, withClient } from './postgres-env';

/** agentcfg through its public API on PostgreSQL (`store: { url }`): every change a transaction, audited and journaled. */
export class AgentcfgPostgresContender extends ServiceContender implements Contender {
  protected open(location: string): Promise<IConfigurationService> {
    return createConfigurationService({ store: { url: location } });
  }

  /**
   * Brings the schema up to date as the database owner would (`agentcfg db migrate`), empties every table the
   * previous round filled, then stores the personalities in one commit through the library's own record store.
   */
  async fill(_dir: string, personalities: readonly Personality[]): Promise<void> {
    const { url, ownerUrl } = postgresUrls();
    this.location = url;
    const owner = createContainer({ store: { url: ownerUrl } }).get<IRecordStore>(IRecordStore);
    try {
      await owner.initialize();
    } finally {
      await owner.close?.();
    }
    await withClient(ownerUrl, async (client) => {
      const { rows } = await client.query<{ name: string }>(
        "SELECT quote_ident(tablename) AS name FROM pg_tables WHERE schemaname = 'public' AND tablename LIKE 'agentcfg\\_%' AND tablename <> 'agentcfg_schema'",
      );
      if (rows.length > 0) await client.query(`TRUNCATE ${rows.map((r) => r.name).join(', ')} RESTART IDENTITY`);
    });
    const container = createContainer({ store: { url } });
    const config = container.get<IConfigurationService>(IConfigurationService);
    try {
      await config.initialize();
      const store = container.get<IRecordStore>(IRecordStore);
      await store.commit({ puts: personalities.map((record) => ({ kind: 'personality' as const, record, expectedVersion: null })) }, { context: config.issueContext() });
    } finally {
      await config.close();
    }
  }

  /** Ends the pool's connections (the service's last call). */
  async close(): Promise<void> {
    await this.config?.close();
    this.config = undefined;
  }
}
