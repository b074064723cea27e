import { z } from 'zod';
import { MANAGED_FIELDS, text } from './record';

/** A set of records to import, or as exported: `{"personalities": [...], "roles": [...], "agents": [...]}`. */
export const bundleSchema = z.strictObject({
  schemaVersion: z.literal(1).optional(),
  exportedAt: text(100).optional(),
  personalities: z.array(z.record(z.string(), z.unknown())).max(100_000).default([]),
  roles: z.array(z.record(z.string(), z.unknown())).max(100_000).default([]),
  agents: z.array(z.record(z.string(), z.unknown())).max(100_000).default([]),
});

/** A bundle of records. */
export type Bundle = z.infer<typeof bundleSchema>;

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
