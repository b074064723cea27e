/** The two layouts of a Letta agent file. */
export type LettaLayout = 'agent-file' | 'flat';

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Which layout parsed JSON has, or null: today's `{agents[], blocks[], tools[], …}`, or the older flat one (a
 * single agent: `name` with `core_memory[]`, or `name`, `system` and `llm_config`).
 */
export function lettaLayoutOf(value: unknown): LettaLayout | null {
  if (!isPlainObject(value)) return null;
  if (Array.isArray(value.agents) && Array.isArray(value.blocks)) return 'agent-file';
  const named = typeof value.name === 'string';
  if (named && (Array.isArray(value.core_memory) || (typeof value.system === 'string' && isPlainObject(value.llm_config)))) return 'flat';
  return null;
}
