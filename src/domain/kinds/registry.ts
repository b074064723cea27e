import type { z } from 'zod';
import type { KindDefinition } from './kind';
import { agentKind } from './agent';
import { connectionKind } from './connection';
import { personalityKind } from './personality';
import { roleKind } from './role';

/**
 * Every kind of record, in an order where each kind comes after the kinds it references (imports and seeding
 * follow it). Adding a kind here is what makes it stored, verified, bundled, journaled and on the command line.
 */
export const KINDS = {
  personality: personalityKind,
  role: roleKind,
  connection: connectionKind,
  agent: agentKind,
} as const;

/** One kind of configuration record. */
export type RecordKind = keyof typeof KINDS;

/** Every kind, in the registry's order. */
export const RECORD_KINDS = Object.keys(KINDS) as readonly RecordKind[];

/** The stored record type of each kind. */
export type RecordByKind = { [K in RecordKind]: z.infer<(typeof KINDS)[K]['recordSchema']> };

/** The definition of a kind. */
export function kindOf<K extends RecordKind>(kind: K): (typeof KINDS)[K] & KindDefinition<RecordByKind[K]> {
  return KINDS[kind] as (typeof KINDS)[K] & KindDefinition<RecordByKind[K]>;
}

/** A value for every kind: building one with a kind left out is a compile error. */
export type EveryKind<T> = { readonly [K in RecordKind]: T };

/** A value made for every kind of the registry, by kind. */
export function everyKind<T>(make: <K extends RecordKind>(kind: K) => T): EveryKind<T> {
  return Object.fromEntries(RECORD_KINDS.map((kind) => [kind, make(kind)])) as unknown as EveryKind<T>;
}

/** Every reference to records of `kind`: which kind holds it, in which field. */
export function referencesTo(kind: RecordKind): { kind: RecordKind; field: string; optional: boolean }[] {
  return RECORD_KINDS.flatMap((holder) =>
    (KINDS[holder] as KindDefinition).references.filter((r) => r.to === kind).map((r) => ({ kind: holder, field: r.field, optional: r.optional === true })),
  );
}
