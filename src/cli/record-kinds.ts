import type { Agent } from '../domain/agent/agent';
import { modelWarnings } from '../domain/agent/model-catalogue';
import type { Role } from '../domain/role/role';
import type { RecordCommandSpec } from './record-commands';

// The service's typed inputs are validated at run time; the CLI passes parsed JSON straight through.
type Loose = never;

/** Personalities: list shows the Big Five at a glance. */
export const personalityCommands: RecordCommandSpec = {
  kind: 'personality',
  cascade: true,
  operations: (c) => ({
    list: () => c.getAllPersonalities(),
    get: (id) => c.getPersonality(id),
    create: (input) => c.createPersonality(input as Loose),
    delete: (id, options) => c.deletePersonality(id, options),
  }),
  columns: { headers: [], cells: () => [] },
};

/** Roles: list shows the focus areas. */
export const roleCommands: RecordCommandSpec = {
  kind: 'role',
  operations: (c) => ({
    list: () => c.getAllRoles(),
    get: (id) => c.getRole(id),
    create: (input) => c.createRole(input as Loose),
    delete: (id, guard) => c.deleteRole(id, guard),
  }),
  columns: { headers: ['FOCUS AREAS'], cells: (r) => [(r as unknown as Role).focusAreas.join(', ')] },
};

/** Agents: list shows what each is built from and the model it runs on. */
export const agentCommands: RecordCommandSpec = {
  kind: 'agent',
  operations: (c) => ({
    list: () => c.getAllAgents(),
    get: (id) => c.getAgent(id),
    create: (input) => c.createAgent(input as Loose),
    delete: (id, guard) => c.deleteAgent(id, guard),
  }),
  warnings: (r) => modelWarnings((r as unknown as Agent).modelConfig),
  columns: {
    headers: ['PERSONALITY', 'ROLE', 'MODEL', 'COLOR'],
    cells: (r) => {
      const agent = r as unknown as Agent;
      return [agent.personalityId, agent.roleId, `${agent.modelConfig.provider}/${agent.modelConfig.modelId}`, agent.color];
    },
  },
};
