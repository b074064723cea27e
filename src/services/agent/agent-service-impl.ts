import { inject, injectable } from 'inversify';
import { agentCreateSchema, agentSchema, type Agent, type AgentInput, type AgentPatch } from '../../domain/agent/agent';
import type { ErrorDetail } from '../../domain/errors/agentcfg-error';
import { ReferenceIntegrityError } from '../../domain/errors/errors';
import { type FileTransaction, IFileService } from '../file/file-service';
import { BaseRecordService } from '../shared/base-record-service';
import type { IAgentService } from './agent-service';

/** The agent service over the data folder's storage. */
@injectable()
export class AgentService extends BaseRecordService<'agent', AgentInput, AgentPatch> implements IAgentService {
  constructor(@inject(IFileService) files: IFileService) {
    super('agent', { create: agentCreateSchema, record: agentSchema }, files);
  }

  /** Both references are checked under the same lock that guards deletes, so neither can vanish meanwhile. */
  protected override async checkReferences(tx: FileTransaction, agent: Agent, operation: string): Promise<void> {
    const missing: ErrorDetail[] = [];
    const personalities = (await tx.read('personality')).items;
    if (!personalities.some((p) => p.id === agent.personalityId)) {
      missing.push({ path: 'personalityId', message: `personality '${agent.personalityId}' does not exist` });
    }
    const roles = (await tx.read('role')).items;
    if (!roles.some((r) => r.id === agent.roleId)) {
      missing.push({ path: 'roleId', message: `role '${agent.roleId}' does not exist` });
    }
    if (missing.length > 0) {
      throw new ReferenceIntegrityError(`agent '${agent.id}' has dangling references: ${missing.map((d) => d.message).join('; ')}`, missing, {
        context: this.context(operation),
      });
    }
  }
}
