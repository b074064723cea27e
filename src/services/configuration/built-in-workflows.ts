import type { Agent } from '../../domain/agent/agent';
import { withoutManagedFields, type AgentWithDependencies, type Bundle } from '../../domain/bundle';
import type { WorkflowDefinition } from '../../domain/workflow/workflow-definition';

/** Creates the personality and role given inline (or uses the ids given), then the agent that uses them. */
export function createAgentWithDependenciesWorkflow(request: AgentWithDependencies): WorkflowDefinition {
  const steps: WorkflowDefinition['steps'] = [];
  const use = (kind: 'personality' | 'role', value: string | Record<string, unknown>) => {
    if (typeof value === 'string') return value;
    steps.push({ id: kind, service: kind, action: 'create', input: value });
    return { $ref: `steps.${kind}.output.id` };
  };
  const personalityId = use('personality', request.personality);
  const roleId = use('role', request.role);
  steps.push({ id: 'agent', service: 'agent', action: 'create', input: { ...request.agent, personalityId, roleId } });
  return { name: 'create-agent-with-dependencies', steps };
}

/** Deletes the agents that use a personality, then the personality. */
export function cascadeDeletePersonalityWorkflow(id: string, agents: readonly Agent[], expectedVersion?: number): WorkflowDefinition {
  return {
    name: 'delete-personality-cascade',
    steps: [
      ...agents.map((agent) => ({ id: `agent-${agent.id}`, service: 'agent' as const, action: 'delete' as const, input: { id: agent.id, expectedVersion: agent.version } })),
      { id: 'personality', service: 'personality', action: 'delete', input: expectedVersion === undefined ? { id } : { id, expectedVersion } },
    ],
  };
}

/** Creates every record of a bundle, personalities and roles before the agents that use them. */
export function importWorkflow(bundle: Bundle): WorkflowDefinition {
  const creates = (service: 'personality' | 'role' | 'agent', records: Record<string, unknown>[]) =>
    records.map((record, i) => ({ id: `${service}-${i}`, service, action: 'create' as const, input: withoutManagedFields(record) }));
  return {
    name: 'import',
    steps: [...creates('personality', bundle.personalities), ...creates('role', bundle.roles), ...creates('agent', bundle.agents)],
  };
}

/**
 * Changes a personality or role and re-resolves every agent built from it, in one workflow: if any agent
 * cannot be re-resolved, the change is undone with the agents.
 */
export function changeWithPropagationWorkflow(
  kind: 'personality' | 'role',
  id: string,
  patch: unknown,
  options: { expectedVersion?: number; strategy?: string; rules?: Readonly<Record<string, string>> },
  agents: readonly Agent[],
): WorkflowDefinition {
  return {
    name: `update-${kind}-and-propagate`,
    steps: [
      { id: 'change', service: kind, action: 'update', input: { id, patch, ...options } },
      // Re-resolving stamps whatever the agent is now, so another writer's change to it is no conflict.
      ...agents.map((agent, i) => ({
        id: `agent-${i + 1}`,
        service: 'agent' as const,
        action: 'update' as const,
        input: { id: agent.id, patch: {}, strategy: 'last-write-wins' },
        dependsOn: ['change'],
      })),
    ],
  };
}
