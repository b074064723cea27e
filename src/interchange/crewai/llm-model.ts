import { PROVIDERS, type Provider } from '../../domain/agent/agent';
import { KNOWN_MODELS } from '../../domain/agent/model-catalogue';
import type { CrewAiLlm } from './llm';

/** The model CrewAI runs an agent that names none on (when its MODEL or OPENAI_MODEL_NAME variable is unset). */
export const CREWAI_DEFAULT_MODEL: { provider: Provider; modelId: string } = { provider: 'openai', modelId: 'gpt-4o-mini' };

/** LiteLLM's prefixes (which CrewAI's `llm` uses) for the providers agentcfg runs on. */
const PROVIDER_OF_PREFIX: Readonly<Record<string, Provider>> = {
  openai: 'openai',
  anthropic: 'anthropic',
  gemini: 'google',
  google: 'google',
  ollama: 'ollama',
  ollama_chat: 'ollama',
};

/** The prefix an export writes for each provider. */
const PREFIX_OF_PROVIDER: Readonly<Record<Provider, string>> = { openai: 'openai', anthropic: 'anthropic', google: 'gemini', ollama: 'ollama' };

/** Providers serving OpenAI's API at a known address: their agents run as openai, through a connection there. */
export const OPENAI_COMPATIBLE_ROUTES: Readonly<Record<string, { name: string; baseUrl: string }>> = {
  openrouter: { name: 'OpenRouter', baseUrl: 'https://openrouter.ai/api/v1' },
  groq: { name: 'Groq', baseUrl: 'https://api.groq.com/openai/v1' },
  deepseek: { name: 'DeepSeek', baseUrl: 'https://api.deepseek.com/v1' },
  together_ai: { name: 'Together AI', baseUrl: 'https://api.together.xyz/v1' },
  xai: { name: 'xAI', baseUrl: 'https://api.x.ai/v1' },
  mistral: { name: 'Mistral AI', baseUrl: 'https://api.mistral.ai/v1' },
};

/** What an agent's `llm` becomes: agentcfg's provider and model, and how it got there when the file did not say. */
export interface CrewAiModel {
  provider: Provider;
  modelId: string;
  /** The OpenAI-compatible service it runs through (a key of OPENAI_COMPATIBLE_ROUTES). */
  route?: string;
  /** Why the provider (or the whole model) was chosen rather than read. */
  defaultedWhy?: string;
}

/** The provider LiteLLM would take a bare model id to be: the catalogue's, else by its family, else OpenAI. */
function providerOfBareModel(model: string): Provider {
  const known = PROVIDERS.find((provider) => KNOWN_MODELS[provider].some((m) => m.id === model));
  if (known) return known;
  if (model.startsWith('claude')) return 'anthropic';
  if (model.startsWith('gemini')) return 'google';
  return 'openai';
}

/** The model an agent's `llm` names in agentcfg's terms. */
export function modelOfLlm(llm: CrewAiLlm | undefined): CrewAiModel {
  if (!llm) return { ...CREWAI_DEFAULT_MODEL, defaultedWhy: 'the agent names no llm: CrewAI then runs its default model (MODEL or OPENAI_MODEL_NAME, else gpt-4o-mini)' };
  const { provider, model } = llm;
  if (provider === undefined) {
    return { provider: providerOfBareModel(model), modelId: model, defaultedWhy: `llm '${model}' names no provider; CrewAI (through LiteLLM) infers it from the model id` };
  }
  // Own keys only: a prefix such as 'constructor' must not find Object's.
  if (Object.hasOwn(PROVIDER_OF_PREFIX, provider)) return { provider: PROVIDER_OF_PREFIX[provider] as Provider, modelId: model };
  if (Object.hasOwn(OPENAI_COMPATIBLE_ROUTES, provider)) return { provider: 'openai', modelId: model, route: provider };
  return {
    provider: 'openai',
    modelId: model,
    defaultedWhy: `provider '${provider}' is not one agentcfg runs on (${PROVIDERS.join(', ')}); the llm is kept in extensions for an export`,
  };
}

/** The `llm` an export writes for a model: `provider/model-id` in LiteLLM's prefixes, or the route's. */
export function llmOfModel(model: { provider: Provider; modelId: string }, route?: string): string {
  const prefix = route !== undefined && Object.hasOwn(OPENAI_COMPATIBLE_ROUTES, route) ? route : PREFIX_OF_PROVIDER[model.provider];
  return `${prefix}/${model.modelId}`;
}
