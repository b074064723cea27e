import type { ModelledKind as RecordKind } from './modelled-kind';

/**
 * What the model keeps of a record: its version, the one field the test writes (its "mark"), whether it is a
 * template, and for an agent its references and the versions it was last resolved from.
 */
export interface ModelRecord {
  version: number;
  mark: string;
  template: boolean;
  personalityId?: string;
  roleId?: string;
  /** The personality and role versions stamped on the agent's last write. */
  stamp?: { personality: number; role: number };
}

/** The records of a data folder as the model believes they are. */
export type ConfigurationModel = Record<RecordKind, Map<string, ModelRecord>>;

/** One change to one record, as a record service (or a workflow step) makes it. */
export type RecordOp =
  | { action: 'create'; kind: RecordKind; id: string; mark: string; personalityId?: string; roleId?: string }
  | { action: 'update'; kind: RecordKind; id: string; mark: string; expectedVersion?: number }
  | { action: 'delete'; kind: RecordKind; id: string; expectedVersion?: number };

/** The error code an operation must fail with, or null when it succeeds. */
export type Outcome = string | null;

/** A deep copy of a model. */
export function cloneModel(model: ConfigurationModel): ConfigurationModel {
  const copy = (records: Map<string, ModelRecord>) => new Map([...records].map(([id, r]) => [id, { ...r, ...(r.stamp ? { stamp: { ...r.stamp } } : {}) }]));
  return { personality: copy(model.personality), role: copy(model.role), agent: copy(model.agent) };
}

/** Copies `from` into `to` (so a simulation that succeeded becomes the model). */
export function replaceModel(to: ConfigurationModel, from: ConfigurationModel): void {
  to.personality = from.personality;
  to.role = from.role;
  to.agent = from.agent;
}

/** The agents that use a personality or role. */
export function usersOf(model: ConfigurationModel, kind: 'personality' | 'role', id: string): string[] {
  const field = kind === 'personality' ? 'personalityId' : 'roleId';
  return [...model.agent].filter(([, agent]) => agent[field] === id).map(([agentId]) => agentId);
}

/** Stamps an agent with the versions it resolves to now, as the agent service does on every write. */
function stamp(model: ConfigurationModel, agent: ModelRecord): void {
  agent.stamp = { personality: model.personality.get(agent.personalityId as string)?.version ?? 0, role: model.role.get(agent.roleId as string)?.version ?? 0 };
}

/**
 * Applies one operation to the model (in place) as a record service makes it, with no propagation to agents;
 * returns the error code it fails with (leaving the model as it was), or null. `plannedByWorkflow` checks a
 * delete's version before the template rule, as a workflow step plans it.
 */
export function applyRecordOp(model: ConfigurationModel, op: RecordOp, plannedByWorkflow = false): Outcome {
  const records = model[op.kind];
  const current = records.get(op.id);
  if (op.action === 'create') {
    if (current) return 'CONFLICT';
    const record: ModelRecord = { version: 1, mark: op.mark, template: false };
    if (op.kind === 'agent') {
      if (!model.personality.has(op.personalityId as string) || !model.role.has(op.roleId as string)) return 'REFERENCE_ERROR';
      Object.assign(record, { personalityId: op.personalityId, roleId: op.roleId });
      stamp(model, record);
    }
    records.set(op.id, record);
    return null;
  }
  if (!current) return 'NOT_FOUND';
  const staleGuard = op.expectedVersion !== undefined && op.expectedVersion !== current.version;
  if (op.action === 'update') {
    if (staleGuard) return 'CONFLICT';
    current.version++;
    current.mark = op.mark;
    if (op.kind === 'agent') stamp(model, current);
    return null;
  }
  if (plannedByWorkflow && staleGuard) return 'CONFLICT';
  if (current.template) return 'FORBIDDEN';
  if (staleGuard) return 'CONFLICT';
  if (op.kind !== 'agent' && usersOf(model, op.kind, op.id).length > 0) return 'REFERENCE_ERROR';
  records.delete(op.id);
  return null;
}

/**
 * An update through the configuration service: a personality or role that agents use is changed in one
 * workflow with every such agent re-resolved (each +1 version). `failAgentUpdate` makes the n-th agent's
 * re-resolution fail (the fault the test injects): the whole change is then undone.
 */
export function applyConfigurationUpdate(model: ConfigurationModel, op: RecordOp & { action: 'update' }, failAgentUpdate?: number): Outcome {
  const users = op.kind === 'agent' ? [] : usersOf(model, op.kind, op.id);
  const next = cloneModel(model);
  const outcome = applyRecordOp(next, op);
  if (outcome !== null) return outcome;
  if (failAgentUpdate !== undefined && users.length > 0) return 'INTERNAL_ERROR';
  for (const id of users) {
    const agent = next.agent.get(id) as ModelRecord;
    agent.version++;
    stamp(next, agent);
  }
  replaceModel(model, next);
  return null;
}

/** `deletePersonality(id, { cascade: true })`: its agents, then it, in one workflow (a fault on the last step undoes all). */
export function applyCascadeDelete(model: ConfigurationModel, id: string, expectedVersion: number | undefined, failPersonalityDelete: boolean): Outcome {
  if (!model.personality.has(id)) return 'NOT_FOUND';
  const next = cloneModel(model);
  for (const agent of usersOf(next, 'personality', id)) next.agent.delete(agent);
  const current = next.personality.get(id) as ModelRecord;
  if (expectedVersion !== undefined && expectedVersion !== current.version) return 'CONFLICT';
  if (failPersonalityDelete) return 'INTERNAL_ERROR';
  const outcome = applyRecordOp(next, { action: 'delete', kind: 'personality', id }, true);
  if (outcome === null) replaceModel(model, next);
  return outcome;
}

/** The agents whose stamped versions are not those of their personality and role now: verify calls them stale. */
export function staleAgents(model: ConfigurationModel): string[] {
  return [...model.agent]
    .filter(([, a]) => a.stamp?.personality !== model.personality.get(a.personalityId as string)?.version || a.stamp?.role !== model.role.get(a.roleId as string)?.version)
    .map(([id]) => id)
    .sort();
}
