import type { ModelConfig, Provider } from './agent';

/** Models we know per provider; used for hints only, never to reject a model that is newer than this list. */
export const KNOWN_MODELS: Readonly<Record<Provider, readonly { id: string; maxTokens?: number }[]>> = {
  openai: [
    { id: 'gpt-4o', maxTokens: 16384 },
    { id: 'gpt-4o-mini', maxTokens: 16384 },
    { id: 'gpt-4.1', maxTokens: 32768 },
    { id: 'o3-mini', maxTokens: 100000 },
  ],
  anthropic: [
    { id: 'claude-3-5-sonnet-latest', maxTokens: 8192 },
    { id: 'claude-3-5-haiku-latest', maxTokens: 8192 },
    { id: 'claude-sonnet-4-0', maxTokens: 64000 },
    { id: 'claude-opus-4-0', maxTokens: 32000 },
  ],
  google: [
    { id: 'gemini-1.5-pro', maxTokens: 8192 },
    { id: 'gemini-2.0-flash', maxTokens: 8192 },
    { id: 'gemini-2.5-pro', maxTokens: 65536 },
  ],
  ollama: [{ id: 'llama3.1' }, { id: 'mistral' }, { id: 'qwen2.5' }],
};

/** Advice about a model config that is valid but may not be what the user meant. */
export function modelWarnings(config: ModelConfig): string[] {
  const known = KNOWN_MODELS[config.provider];
  const model = known.find((m) => m.id === config.modelId);
  // Ollama serves any locally pulled model, so an unknown name there is normal.
  if (!model) {
    return config.provider === 'ollama'
      ? []
      : [`model '${config.modelId}' is not in the catalogue for ${config.provider}; known: ${known.map((m) => m.id).join(', ')}`];
  }
  const max = config.parameters.maxTokens;
  if (max !== undefined && model.maxTokens !== undefined && max > model.maxTokens) {
    return [`maxTokens ${max} exceeds ${model.id}'s output limit of ${model.maxTokens}`];
  }
  return [];
}
