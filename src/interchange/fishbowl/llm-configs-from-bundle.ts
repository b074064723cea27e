import { cutText } from '../clip-text';
import { baseUrlWithoutCredentials, extraFieldsToWrite, fishbowlExtension, FISHBOWL_TEXT_LIMITS, textOf, timestampsOf, type BundleRecord } from './export-fields';
import type { FISHBOWL_PROVIDERS } from './llm-configs';

type FishbowlProvider = (typeof FISHBOWL_PROVIDERS)[number];

/** The Fishbowl provider a connection's provider becomes; Fishbowl reaches any OpenAI-compatible endpoint as openai. */
const PROVIDER_OF: Readonly<Record<string, FishbowlProvider>> = { openai: 'openai', anthropic: 'anthropic', 'openai-compatible': 'openai' };

const DEFAULT_NAMES: Readonly<Record<FishbowlProvider, string>> = { openai: 'OpenAI', anthropic: 'Anthropic' };

const WRITTEN = ['id', 'customName', 'provider', 'baseUrl', 'useAuthHeader', 'createdAt', 'updatedAt'];

/** llm_config.json's entries, and the configuration each agent runs on, by agent id (absent: Fishbowl cannot reach its model). */
export interface LlmConfigsFromBundle {
  configs: Record<string, unknown>[];
  llmConfigIds: Map<string, string>;
}

function llmConfigOf(connection: BundleRecord, provider: FishbowlProvider, now: string): Record<string, unknown> {
  const fishbowl = fishbowlExtension(connection);
  const baseUrl = textOf(connection, 'baseUrl');
  return {
    id: textOf(connection, 'id'),
    customName: cutText(textOf(connection, 'name'), FISHBOWL_TEXT_LIMITS.llmConfigName),
    provider,
    ...(baseUrl ? { baseUrl: baseUrlWithoutCredentials(baseUrl) } : {}),
    useAuthHeader: typeof fishbowl.useAuthHeader === 'boolean' ? fishbowl.useAuthHeader : false,
    ...timestampsOf(connection, fishbowl, now),
    ...extraFieldsToWrite(fishbowl, WRITTEN),
  };
}

/**
 * Fishbowl's LLM configurations for a bundle: one per connection it can reach (openai, anthropic, and an
 * OpenAI-compatible endpoint as openai), and, for agents with no connection, one on the provider's default
 * endpoint per provider they use. Never a key: a connection holds none, and Fishbowl asks for it.
 */
export function llmConfigsFromBundle(connections: readonly BundleRecord[], agents: readonly BundleRecord[], now: string): LlmConfigsFromBundle {
  const configs = connections.flatMap((c) => {
    const provider = PROVIDER_OF[textOf(c, 'provider')];
    return provider ? [llmConfigOf(c, provider, now)] : [];
  });
  const written = new Set(configs.map((c) => c.id));
  const defaults = new Map<FishbowlProvider, string>();

  const defaultFor = (provider: FishbowlProvider): string => {
    let id = defaults.get(provider);
    if (id) return id;
    id = `agentcfg-${provider}`;
    for (let n = 2; written.has(id); n++) id = `agentcfg-${provider}-${n}`;
    defaults.set(provider, id);
    configs.push({ id, customName: DEFAULT_NAMES[provider], provider, useAuthHeader: false, createdAt: now, updatedAt: now });
    return id;
  };

  const llmConfigIds = new Map<string, string>();
  for (const agent of agents) {
    const connectionId = agent.connectionId;
    const provider = (agent.modelConfig as BundleRecord | undefined)?.provider;
    let id: string | undefined;
    // An agent bound to an endpoint Fishbowl cannot reach is not moved to another one.
    if (typeof connectionId === 'string') id = written.has(connectionId) ? connectionId : undefined;
    else if (provider === 'openai' || provider === 'anthropic') id = defaultFor(provider);
    if (id !== undefined) llmConfigIds.set(textOf(agent, 'id'), id);
  }
  return { configs, llmConfigIds };
}
