import { inject, injectable } from 'inversify';
import { IAuditLog } from '../../audit/audit-log';
import { IAccessControl } from '../../security/access-control';
import { agentCreateSchema, agentSchema, type Agent, type AgentInput, type AgentPatch } from '../../domain/agent/agent';
import type { ErrorDetail } from '../../domain/errors/agentcfg-error';
import { ReferenceIntegrityError } from '../../domain/errors/errors';
import { type FileTransaction, IFileService } from '../file/file-service';
import { BaseRecordService } from '../shared/base-record-service';
import { resolutionOf } from '../../domain/prompt/resolution';
import type { IAgentService } from './agent-service';

/** The agent service over the data folder's storage. */
@injectable()
export class AgentService extends BaseRecordService<'agent', AgentInput, AgentPatch> implements IAgentService {
  constructor(@inject(IFileService) files: IFileService, @inject(IAccessControl) access: IAccessControl, @inject(IAuditLog) audit: IAuditLog) {
    super('agent', { create: agentCreateSchema, record: agentSchema }, { files, access, audit });
  }

  /**
   * Both references are checked under the same lock that guards deletes, so neither can vanish meanwhile, and
   * the agent is stamped with the versions and prompt hash it resolves to now.
   */
  protected override async prepare(tx: FileTransaction, agent: Agent, operation: string): Promise<Agent> {
    const missing: ErrorDetail[] = [];
    const personality = (await tx.read('personality')).items.find((p) => p.id === agent.personalityId);
    if (!personality) missing.push({ path: 'personalityId', message: `personality '${agent.personalityId}' does not exist` });
    const role = (await tx.read('role')).items.find((r) => r.id === agent.roleId);
    if (!role) missing.push({ path: 'roleId', message: `role '${agent.roleId}' does not exist` });
    if (!personality || !role) {
      throw new ReferenceIntegrityError(`agent '${agent.id}' has dangling references: ${missing.map((d) => d.message).join('; ')}`, missing, {
        context: this.context(operation),
      });
    }
    return { ...agent, resolution: resolutionOf(personality, role) };
  }
}
