/** Reading a CrewAI agents.yaml into typed agents, mapping them to a bundle, and writing a bundle's agents back. */
export { CREWAI_LIMITS, type CrewAiAgent } from './agents';
export { bundleToCrewAi } from './from-bundle';
export type { CrewAiLlm } from './llm';
export { readCrewAiAgents } from './read';
export { MAX_YAML_ALIASES, parseYamlSafely } from './safe-yaml';
export { looksLikeCrewAi } from './shape';
export { crewAiToBundle } from './to-bundle';
