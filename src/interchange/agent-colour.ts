/** The colour of an agent made from a source that has none (only agentcfg's records have colours): a neutral grey. */
export const DEFAULT_AGENT_COLOUR = '#6B7280';
