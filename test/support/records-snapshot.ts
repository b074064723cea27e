import type { IConfigurationService } from '../../src/services/configuration/configuration-service';

/** Every record of every kind, sorted by id, to compare "exactly as before" (records, not file revisions). */
export async function snapshotRecords(configuration: IConfigurationService): Promise<Record<string, unknown[]>> {
  const byId = <T extends { id: string }>(records: T[]) => [...records].sort((a, b) => a.id.localeCompare(b.id));
  return {
    personalities: byId(await configuration.getAllPersonalities()),
    roles: byId(await configuration.getAllRoles()),
    agents: byId(await configuration.getAllAgents()),
  };
}
