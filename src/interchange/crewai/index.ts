/** Reading a CrewAI agents.yaml into typed agents. */
export { CREWAI_LIMITS, type CrewAiAgent } from './agents';
export type { CrewAiLlm } from './llm';
export { readCrewAiAgents } from './read';
export { MAX_YAML_ALIASES, parseYamlSafely } from './safe-yaml';
export { looksLikeCrewAi } from './shape';
