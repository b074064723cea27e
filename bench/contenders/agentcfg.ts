import { createConfigurationService, createContainer, IConfigurationService, IFileService, type Personality } from '../../dist/index';
import type { Contender, TraitPatch } from '../contender';
import type { AgentRequest } from '../records';

/** agentcfg through its public API: every change durable, locked, journaled and audited. */
export class AgentcfgContender implements Contender {
  private dir = '';
  private config: IConfigurationService | undefined;

  async fill(dir: string, personalities: readonly Personality[]): Promise<void> {
    this.dir = dir;
    // One write of the whole collection through the library's own storage code, instead of N workflows.
    const container = createContainer({ dataDir: dir });
    const config = container.get<IConfigurationService>(IConfigurationService);
    await config.initialize();
    const files = container.get<IFileService>(IFileService);
    await files.transaction(
      async (tx) => {
        const current = await tx.read('personality');
        await tx.write('personality', [...current.items, ...personalities]);
      },
      { context: config.issueContext() },
    );
  }

  async openAndList(): Promise<number> {
    this.config = await createConfigurationService({ dataDir: this.dir });
    return (await this.config.getAllPersonalities()).length;
  }

  async createPersonality(input: AgentRequest['personality']): Promise<void> {
    await this.opened().createPersonality(input);
  }

  async updatePersonality(id: string, patch: TraitPatch): Promise<void> {
    await this.opened().updatePersonality(id, patch);
  }

  async createAgentWithDependencies(request: AgentRequest): Promise<void> {
    await this.opened().createAgentWithDependencies(request);
  }

  async agentIds(): Promise<Set<string>> {
    return new Set((await this.opened().getAllAgents()).map((agent) => agent.id));
  }

  async close(): Promise<void> {
    this.config = undefined;
  }

  private opened(): IConfigurationService {
    if (!this.config) throw new Error('openAndList() opens the data folder first');
    return this.config;
  }
}
