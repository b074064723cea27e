import type { Agent, AgentInput, AgentPatch } from '../../domain/agent/agent';
import type { IRecordService } from '../shared/record-service';

/** Stores agents; each must reference an existing personality and role. */
export type IAgentService = IRecordService<Agent, AgentInput, AgentPatch>;

/** Injection token for the agent service. */
export const IAgentService = Symbol.for('agentcfg.IAgentService');
