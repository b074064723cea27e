import type { Agent } from './agent/agent';
import type { Personality } from './personality/personality';
import type { RecordKind } from './record';
import type { Role } from './role/role';

/** The stored record type of each kind. */
export interface RecordByKind {
  personality: Personality;
  role: Role;
  agent: Agent;
}

/** The stored record type of kind K. */
export type RecordOf<K extends RecordKind> = RecordByKind[K];

/** Any stored record. */
export type AnyRecord = RecordByKind[RecordKind];
