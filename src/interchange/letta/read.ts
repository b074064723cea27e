import { ValidationError } from '../../domain/errors/errors';
import { parseInput } from '../../domain/validation/parse-input';
import { printable } from '../../domain/validation/text-hygiene';
import { parseLettaJson } from './json-text';
import { agentOfFlat, agentsOfFile } from './normalise';
import { agentFileSchema, flatAgentSchema } from './schemas';
import { lettaLayoutOf } from './shape';
import type { LettaAgent } from './types';

/** An agent's conversation state: not configuration, so neither read nor checked nor kept. */
const HISTORY_KEYS = ['messages', 'message_ids', 'in_context_message_ids', 'in_context_message_indices', 'files_agents'];

function withoutHistory(agent: unknown): unknown {
  if (typeof agent !== 'object' || agent === null || Array.isArray(agent)) return agent;
  return Object.fromEntries(Object.entries(agent).filter(([key]) => !HISTORY_KEYS.includes(key)));
}

/** The parts of today's layout this reader returns; groups, files, sources and MCP servers are left out. */
function agentFilePart(file: Record<string, unknown>): Record<string, unknown> {
  const part: Record<string, unknown> = { agents: (file.agents as unknown[]).map(withoutHistory), blocks: file.blocks };
  if (file.tools !== undefined) part.tools = file.tools;
  return part;
}

/**
 * Reads a Letta agent file (.af): today's `{agents[], blocks[], tools[], …}` or the older flat single-agent
 * layout, or either wrapped once in a JSON string. Each agent comes back with its blocks and tools resolved, its
 * persona text, its llm_config typed and its other keys kept aside. Throws a ValidationError naming every failing
 * field (`agents.0.llm_config.temperature`), never echoing a credential.
 */
export function readLettaFile(text: string, source: string): LettaAgent[] {
  const value = parseLettaJson(text, source);
  const layout = lettaLayoutOf(value);
  const what = `Letta agent file (${printable(source)})`;
  const context = { source };
  if (layout === 'agent-file') return agentsOfFile(parseInput(agentFileSchema, agentFilePart(value as Record<string, unknown>), what, context), source);
  if (layout === 'flat') return [agentOfFlat(parseInput(flatAgentSchema, withoutHistory(value), what, context), source)];
  const message = 'is not a Letta agent file: expected {agents[], blocks[]} or an agent with name and core_memory (or system and llm_config)';
  throw new ValidationError(`${printable(source)} ${message}`, [{ path: '', message }], { context });
}
