import { ReferenceIntegrityError } from '../../domain/errors/errors';
import type { FileTransaction } from '../file/file-service';

/** Refuses to delete a personality or role while agents still use it, naming those agents. */
export async function assertNoAgentUses(
  tx: FileTransaction,
  field: 'personalityId' | 'roleId',
  kind: 'personality' | 'role',
  id: string,
): Promise<void> {
  const { items } = await tx.read('agent');
  const users = items.filter((agent) => agent[field] === id).map((agent) => agent.id);
  if (users.length > 0) {
    throw new ReferenceIntegrityError(
      `${kind} '${id}' is used by agent${users.length > 1 ? 's' : ''} ${users.join(', ')}; delete or change them first`,
      users.map((agentId) => ({ path: `agents.${agentId}.${field}`, message: `agent '${agentId}' uses ${kind} '${id}'` })),
      { context: { service: kind, operation: 'delete', id, agentIds: users } },
    );
  }
}
