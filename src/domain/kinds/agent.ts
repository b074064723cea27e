import { agentCreateSchema, agentSchema, type Agent } from '../agent/agent';
import { modelWarnings } from '../agent/model-catalogue';
import type { Personality } from '../personality/personality';
import { resolutionOf } from '../prompt/resolution';
import type { Role } from '../role/role';
import type { KindDefinition } from './kind';
import { servesProvider, type Connection } from './connection';

/** Agents: a personality and a role on a model, stamped with what they resolve to. */
export const agentKind = {
  name: 'agent',
  plural: 'agents',
  createSchema: agentCreateSchema,
  recordSchema: agentSchema,
  references: [
    { field: 'personalityId', to: 'personality' },
    { field: 'roleId', to: 'role' },
    { field: 'connectionId', to: 'connection', optional: true },
  ],
  templates: [],
  fileName: 'agents.json',
  columns: {
    headers: ['PERSONALITY', 'ROLE', 'MODEL', 'COLOR'],
    cells: (agent: Agent) => [agent.personalityId, agent.roleId, `${agent.modelConfig.provider}/${agent.modelConfig.modelId}`, agent.color],
  },
  derive: (agent: Agent, referenced: Readonly<Record<string, unknown>>): Agent => ({
    ...agent,
    resolution: resolutionOf(referenced.personalityId as Personality, referenced.roleId as Role),
  }),
  referenceProblems: (agent: Agent, referenced: Readonly<Record<string, unknown>>) => {
    const connection = referenced.connectionId as Connection | undefined;
    if (!connection || servesProvider(connection.provider, agent.modelConfig.provider)) return [];
    return [{ path: 'connectionId', message: `connection '${connection.id}' serves ${connection.provider}, not the agent's provider ${agent.modelConfig.provider}` }];
  },
  staleness: (agent: Agent, referenced: Readonly<Record<string, unknown>>): string | null => {
    const now = resolutionOf(referenced.personalityId as Personality, referenced.roleId as Role);
    const stored = agent.resolution;
    if (stored?.hash === now.hash && stored.personalityVersion === now.personalityVersion && stored.roleVersion === now.roleVersion) return null;
    return !stored ? 'was never resolved' : `was resolved from personality v${stored.personalityVersion} and role v${stored.roleVersion}, now v${now.personalityVersion} and v${now.roleVersion}`;
  },
  warnings: (agent: Agent) => modelWarnings(agent.modelConfig),
} as const satisfies KindDefinition<Agent>;
