import type { IConfigurationService } from '../../dist/index';
import type { TraitPatch } from '../contender';
import type { AgentRequest } from '../records';

/**
 * What both agentcfg contenders do the same way, through the public API; they differ only in where the store is
 * (`location`: a data folder or a database URL) and how it is filled, opened and closed.
 */
export abstract class ServiceContender {
  protected location = '';
  protected config: IConfigurationService | undefined;

  /** Opens the configuration service on `location`. */
  protected abstract open(location: string): Promise<IConfigurationService>;

  async openAndList(): Promise<number> {
    this.config = await this.open(this.location);
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

  sharedLocation(): string {
    return this.location;
  }

  async attach(location: string): Promise<void> {
    this.location = location;
    this.config = await this.open(location);
  }

  protected opened(): IConfigurationService {
    if (!this.config) throw new Error('openAndList() opens the store first');
    return this.config;
  }
}
