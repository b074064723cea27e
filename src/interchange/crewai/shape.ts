const AGENT_FIELDS = ['role', 'goal', 'backstory'];

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Whether parsed YAML looks like a CrewAI agents.yaml (a quick check for detection): a map of agent maps. */
export function looksLikeCrewAi(value: unknown): boolean {
  if (!isPlainObject(value)) return false;
  const agents = Object.values(value);
  return agents.length > 0 && agents.every((agent) => isPlainObject(agent) && AGENT_FIELDS.some((field) => Object.hasOwn(agent, field)));
}
