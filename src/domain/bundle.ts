import { z } from 'zod';
import { KINDS, RECORD_KINDS, type RecordKind } from './kinds/registry';
import { MANAGED_FIELDS, text } from './record';

/** The plural of a kind: the key of its records in a bundle. */
export type PluralOf<K extends RecordKind> = (typeof KINDS)[K]['plural'];

const recordsSchema = z.array(z.record(z.string(), z.unknown())).max(100_000).default([]);

/** A set of records to import, or as exported: the records of each kind under its plural (`"personalities": [...]`). */
export const bundleSchema = z.strictObject({
  schemaVersion: z.literal(1).optional(),
  exportedAt: text(100).optional(),
  ...(Object.fromEntries(RECORD_KINDS.map((kind) => [KINDS[kind].plural, recordsSchema])) as { [K in RecordKind as PluralOf<K>]: typeof recordsSchema }),
});

/** A bundle of records. */
export type Bundle = z.infer<typeof bundleSchema>;

/** How many records of each kind (by its plural). */
export type CountsByKind = { [K in RecordKind as PluralOf<K>]: number };

/** A record body without the fields the services manage, so an exported record imports as a new one. */
export function withoutManagedFields(record: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(record).filter(([key]) => !(MANAGED_FIELDS as readonly string[]).includes(key)));
}

/** What `createAgentWithDependencies` takes: the agent, and its personality and role inline or by id. */
export const agentWithDependenciesSchema = z.strictObject({
  // By id (checked as an id when used) or inline (checked as a body).
  personality: z.union([text(200), z.record(z.string(), z.unknown())]),
  role: z.union([text(200), z.record(z.string(), z.unknown())]),
  agent: z.record(z.string(), z.unknown()),
});

/** Input of `createAgentWithDependencies`. */
export type AgentWithDependencies = z.infer<typeof agentWithDependenciesSchema>;
