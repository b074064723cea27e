import { KINDS, RECORD_KINDS, type RecordKind } from '../../domain/kinds/registry';
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

/** Deletes the records that use a record, then the record. */
export function cascadeDeleteWorkflow(kind: RecordKind, id: string, users: readonly { kind: RecordKind; id: string; version: number }[], expectedVersion?: number): WorkflowDefinition {
  return {
    name: `delete-${kind}-cascade`,
    steps: [
      ...users.map((user) => ({ id: `${user.kind}-${user.id}`, service: user.kind, action: 'delete' as const, input: { id: user.id, expectedVersion: user.version } })),
      { id: kind, service: kind, action: 'delete', input: expectedVersion === undefined ? { id } : { id, expectedVersion } },
    ],
  };
}

/** Creates every record of a bundle, each kind after the kinds it references (the registry's order). */
export function importWorkflow(bundle: Bundle): WorkflowDefinition {
  return {
    name: 'import',
    steps: RECORD_KINDS.flatMap((service) =>
      (bundle[KINDS[service].plural] as Record<string, unknown>[]).map((record, i) => ({ id: `${service}-${i}`, service, action: 'create' as const, input: withoutManagedFields(record) })),
    ),
  };
}

/**
 * Changes a record and stamps again every record that derives fields from it (an agent's resolution), in one
 * workflow: if any cannot be, the change is undone with them.
 */
export function changeWithPropagationWorkflow(
  kind: RecordKind,
  id: string,
  patch: unknown,
  options: { expectedVersion?: number; strategy?: string; rules?: Readonly<Record<string, string>> },
  dependents: readonly { kind: RecordKind; id: string }[],
): WorkflowDefinition {
  return {
    name: `update-${kind}-and-propagate`,
    steps: [
      { id: 'change', service: kind, action: 'update', input: { id, patch, ...options } },
      // Stamping again takes whatever the record is now, so another writer's change to it is no conflict.
      ...dependents.map((dependent, i) => ({
        id: `${dependent.kind}-${i + 1}`,
        service: dependent.kind,
        action: 'update' as const,
        input: { id: dependent.id, patch: {}, strategy: 'last-write-wins' },
        dependsOn: ['change'],
      })),
    ],
  };
}
