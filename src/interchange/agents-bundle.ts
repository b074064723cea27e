import type { Bundle } from '../domain/bundle';
import type { MappedRecord, MappingReport } from './mapping-report';

/** One record an import made, and its part of the report. */
export interface MadeRecord {
  body: Record<string, unknown>;
  report: MappedRecord;
}

/** The records an import makes of one agent of its source: a personality, a role, and the agent using both. */
export interface MadeAgent {
  personality: MadeRecord;
  role: MadeRecord;
  agent: MadeRecord;
}

/**
 * The bundle and the report of an import that makes three records of each agent of its source (a card is one
 * agent), and the connections they share. The report lists each agent's personality and role, then the
 * connections, then the agents: the order the bundle imports them in.
 */
export function bundleOfAgents(
  format: string,
  source: string,
  agents: readonly MadeAgent[],
  connections: readonly MadeRecord[] = [],
): { bundle: Bundle; report: MappingReport } {
  return {
    bundle: {
      schemaVersion: 1,
      personalities: agents.map((made) => made.personality.body),
      roles: agents.map((made) => made.role.body),
      connections: connections.map((made) => made.body),
      agents: agents.map((made) => made.agent.body),
    },
    report: {
      format,
      source,
      records: [...agents.flatMap((made) => [made.personality.report, made.role.report]), ...connections.map((made) => made.report), ...agents.map((made) => made.agent.report)],
    },
  };
}
