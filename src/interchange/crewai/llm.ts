/** A CrewAI `llm` value split into its parts: `provider/model-id`, or a bare model id (provider left to CrewAI). */
export interface CrewAiLlm {
  provider?: string;
  model: string;
}

const PART = /^\S+$/;

/**
 * Splits at the first '/', so a model id may hold more ('openrouter/meta-llama/llama-3-70b'); null when a part
 * is empty or holds blanks.
 */
export function splitLlm(value: string): CrewAiLlm | null {
  const text = value.trim();
  const slash = text.indexOf('/');
  if (slash === -1) return PART.test(text) ? { model: text } : null;
  const provider = text.slice(0, slash);
  const model = text.slice(slash + 1);
  return PART.test(provider) && PART.test(model) ? { provider, model } : null;
}
