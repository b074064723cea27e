import { parseInput } from '../../domain/validation/parse-input';
import { printable } from '../../domain/validation/text-hygiene';
import { crewAiAgentsSchema, normaliseCrewAiAgent, type CrewAiAgent } from './agents';
import { parseYamlSafely } from './safe-yaml';

/**
 * Reads a CrewAI agents.yaml (agent key → role, goal, backstory, llm, tools, allow_delegation, other keys kept).
 * The YAML is parsed as plain data only (see parseYamlSafely); then the project's input hygiene and the schema
 * apply. Throws a ValidationError naming every failing field (`researcher.goal`), never echoing a credential.
 */
export function readCrewAiAgents(text: string, source: string): CrewAiAgent[] {
  const value = parseYamlSafely(text, source);
  const agents = parseInput(crewAiAgentsSchema, value, `CrewAI agents file (${printable(source)})`, { source });
  return Object.entries(agents).map(([key, agent]) => normaliseCrewAiAgent(key, agent, source));
}
