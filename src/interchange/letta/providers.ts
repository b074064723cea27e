import type { Provider } from '../../domain/agent/agent';
import type { CONNECTION_PROVIDERS } from '../../domain/kinds/connection';

type ConnectionProvider = (typeof CONNECTION_PROVIDERS)[number];

/** Where agentcfg runs a model of one Letta endpoint type: the agent's provider, and its connection's. */
export interface LettaProvider {
  agent: Provider;
  connection: ConnectionProvider;
}

const SAME: Readonly<Record<string, Provider>> = { openai: 'openai', anthropic: 'anthropic', google_ai: 'google', ollama: 'ollama' };

/** Letta endpoint types that speak OpenAI's API: their agents run as openai, through an openai-compatible connection. */
const OPENAI_COMPATIBLE: ReadonlySet<string> = new Set(['deepseek', 'groq', 'together', 'vllm', 'xai']);

/** What agentcfg makes of a Letta `model_endpoint_type`, or null for one it has no provider for (azure, bedrock…). */
export function providerOfEndpointType(type: string): LettaProvider | null {
  // Own keys only: a type such as 'constructor' must not find Object's.
  if (Object.hasOwn(SAME, type)) {
    const provider = SAME[type] as Provider;
    return { agent: provider, connection: provider };
  }
  return OPENAI_COMPATIBLE.has(type) ? { agent: 'openai', connection: 'openai-compatible' } : null;
}
