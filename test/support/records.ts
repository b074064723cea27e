import type { AgentInput } from '../../src/domain/agent/agent';
import type { PersonalityInput } from '../../src/domain/personality/personality';
import type { RoleInput } from '../../src/domain/role/role';
import { loadFixture } from './fixtures';

/** Valid bodies of each kind (fresh copies), from test/fixtures/records/valid-records.json. */
export interface ValidRecords {
  personality: PersonalityInput & { id: string };
  role: RoleInput & { id: string };
  agent: AgentInput & { id: string };
}

/** Fresh copies of the valid bodies. */
export function validRecords(): ValidRecords {
  return loadFixture<ValidRecords>('records/valid-records.json');
}

/** A personality, a role and an agent built from them, with ids (and names) of their own: a createAgentWithDependencies request. */
export function agentWithDependencies(prefix: string): ValidRecords {
  const { personality, role, agent } = validRecords();
  return {
    personality: { ...personality, id: `${prefix}-p` },
    role: { ...role, id: `${prefix}-r`, name: `Role ${prefix}` },
    agent: { ...agent, id: `${prefix}-a`, personalityId: `${prefix}-p`, roleId: `${prefix}-r` },
  };
}

/** Sets a value at a dotted path, creating plain objects on the way. */
export function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split('.');
  let node = target;
  for (const key of keys.slice(0, -1)) {
    if (typeof node[key] !== 'object' || node[key] === null) node[key] = {};
    node = node[key] as Record<string, unknown>;
  }
  Object.defineProperty(node, keys[keys.length - 1] as string, { value, enumerable: true, writable: true, configurable: true });
}

/** Deletes the value at a dotted path. */
export function removePath(target: Record<string, unknown>, path: string): void {
  const keys = path.split('.');
  let node = target;
  for (const key of keys.slice(0, -1)) node = node[key] as Record<string, unknown>;
  delete node[keys[keys.length - 1] as string];
}
