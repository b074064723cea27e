import { inject, injectable } from 'inversify';
import type { Agent, AgentInput, AgentPatch } from '../../domain/agent/agent';
import { modelWarnings } from '../../domain/agent/model-catalogue';
import { NotFoundError } from '../../domain/errors/errors';
import type { Personality, PersonalityInput, PersonalityPatch } from '../../domain/personality/personality';
import { composeSystemPrompt } from '../../domain/prompt/effective-system-prompt';
import type { Role, RoleInput, RolePatch } from '../../domain/role/role';
import { IAgentService } from '../agent/agent-service';
import { IFileService } from '../file/file-service';
import { IPersonalityService } from '../personality/personality-service';
import { IRoleService } from '../role/role-service';
import type { VersionGuard } from '../shared/record-service';
import type { ConfigurationSummary, IConfigurationService, ResolvedAgent } from './configuration-service';
import { seedTemplates } from './seed-templates';

/** Coordinates the personality, role, agent and file services behind one API. */
@injectable()
export class ConfigurationService implements IConfigurationService {
  constructor(
    @inject(IFileService) private readonly files: IFileService,
    @inject(IPersonalityService) private readonly personalities: IPersonalityService,
    @inject(IRoleService) private readonly roles: IRoleService,
    @inject(IAgentService) private readonly agents: IAgentService,
  ) {}

  get dataDir(): string {
    return this.files.dataDir;
  }

  async initialize(): Promise<void> {
    await this.files.initialize();
    await seedTemplates(this.files);
  }

  createPersonality(input: PersonalityInput): Promise<Personality> {
    return this.personalities.create(input);
  }
  getPersonality(id: string): Promise<Personality | null> {
    return this.personalities.get(id);
  }
  getAllPersonalities(): Promise<Personality[]> {
    return this.personalities.list();
  }
  updatePersonality(id: string, patch: PersonalityPatch, guard?: VersionGuard): Promise<Personality> {
    return this.personalities.update(id, patch, guard);
  }
  deletePersonality(id: string, guard?: VersionGuard): Promise<Personality> {
    return this.personalities.delete(id, guard);
  }

  createRole(input: RoleInput): Promise<Role> {
    return this.roles.create(input);
  }
  getRole(id: string): Promise<Role | null> {
    return this.roles.get(id);
  }
  getAllRoles(): Promise<Role[]> {
    return this.roles.list();
  }
  updateRole(id: string, patch: RolePatch, guard?: VersionGuard): Promise<Role> {
    return this.roles.update(id, patch, guard);
  }
  deleteRole(id: string, guard?: VersionGuard): Promise<Role> {
    return this.roles.delete(id, guard);
  }

  createAgent(input: AgentInput): Promise<Agent> {
    return this.agents.create(input);
  }
  getAgent(id: string): Promise<Agent | null> {
    return this.agents.get(id);
  }
  getAllAgents(): Promise<Agent[]> {
    return this.agents.list();
  }
  updateAgent(id: string, patch: AgentPatch, guard?: VersionGuard): Promise<Agent> {
    return this.agents.update(id, patch, guard);
  }
  deleteAgent(id: string, guard?: VersionGuard): Promise<Agent> {
    return this.agents.delete(id, guard);
  }

  async resolveAgent(id: string): Promise<ResolvedAgent> {
    const context = { service: 'configuration', operation: 'resolveAgent' };
    const agent = await this.agents.get(id);
    if (!agent) throw new NotFoundError('agent', id, context);
    const [personality, role] = await Promise.all([this.personalities.get(agent.personalityId), this.roles.get(agent.roleId)]);
    if (!personality) throw new NotFoundError('personality', agent.personalityId, { ...context, agentId: id });
    if (!role) throw new NotFoundError('role', agent.roleId, { ...context, agentId: id });
    return { agent, personality, role, systemPrompt: composeSystemPrompt(role, personality), warnings: modelWarnings(agent.modelConfig) };
  }

  async summary(): Promise<ConfigurationSummary> {
    const [personalities, roles, agents] = await Promise.all([this.personalities.list(), this.roles.list(), this.agents.list()]);
    const templates = (records: { isTemplate: boolean }[]) => records.filter((r) => r.isTemplate).length;
    return {
      dataDir: this.dataDir,
      personalities: { total: personalities.length, templates: templates(personalities) },
      roles: { total: roles.length, templates: templates(roles) },
      agents: { total: agents.length },
    };
  }
}
