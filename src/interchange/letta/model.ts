import { DEFAULT_TEMPERATURE, PROVIDERS, type Provider } from '../../domain/agent/agent';
import type { FieldMapping, MappedRecord } from '../mapping-report';
import { providerOfEndpointType, type LettaProvider } from './providers';
import type { LettaAgent } from './types';

/** The model agentcfg gives an agent whose file names none. */
export const LETTA_DEFAULT_MODEL: { provider: Provider; modelId: string } = { provider: 'openai', modelId: 'gpt-4o-mini' };

/** An agent's model in agentcfg's terms, the endpoint a connection should stand for, and how each part was got. */
export interface LettaModel {
  modelConfig: { provider: Provider; modelId: string; parameters?: { temperature?: number; maxTokens?: number } };
  /** Where the model is served, when the file says and agentcfg knows the endpoint type. */
  endpoint?: { type: string; provider: LettaProvider['connection']; baseUrl: string };
  mapped: FieldMapping[];
  defaulted: MappedRecord['defaulted'];
}

/** The `provider/model` handle split at its first '/', or null. */
function splitHandle(handle: string): { type: string; model: string } | null {
  const slash = handle.indexOf('/');
  return slash > 0 && slash < handle.length - 1 ? { type: handle.slice(0, slash), model: handle.slice(slash + 1) } : null;
}

function unknownTypeWhy(type: string, from: string): string {
  return `${from} '${type}' is not a provider agentcfg runs on (${PROVIDERS.join(', ')}); it is kept in extensions`;
}

/** The model of an agent: from llm_config, else from the `provider/model` handle, else a default the report names. */
export function modelOf(agent: LettaAgent): LettaModel {
  const config = agent.llmConfig;
  const handle = !config && agent.model ? splitHandle(agent.model) : null;
  if (!config && !handle) {
    const why = agent.model ? `model '${agent.model}' is not a provider/model handle, and there is no llm_config` : 'the agent has no llm_config and no model';
    return {
      modelConfig: { ...LETTA_DEFAULT_MODEL },
      mapped: [],
      defaulted: [
        { field: 'modelConfig.provider', value: LETTA_DEFAULT_MODEL.provider, why },
        { field: 'modelConfig.modelId', value: LETTA_DEFAULT_MODEL.modelId, why },
        { field: 'modelConfig.parameters.temperature', value: DEFAULT_TEMPERATURE, why },
      ],
    };
  }
  const [type, modelId, typeFrom, modelFrom] = config
    ? [config.modelEndpointType, config.model, 'llm_config.model_endpoint_type', 'llm_config.model']
    : [handle?.type as string, handle?.model as string, 'model', 'model'];
  const known = providerOfEndpointType(type);
  const result: LettaModel = { modelConfig: { provider: known?.agent ?? 'openai', modelId }, mapped: [{ from: modelFrom, to: 'modelConfig.modelId' }], defaulted: [] };
  if (!known) result.defaulted.push({ field: 'modelConfig.provider', value: 'openai', why: unknownTypeWhy(type, typeFrom) });
  else if (known.connection === known.agent) result.mapped.push({ from: typeFrom, to: 'modelConfig.provider' });

  const baseUrl = config?.modelEndpoint;
  if (known && known.connection !== known.agent) {
    const through = baseUrl === undefined ? 'the file names no endpoint, so no connection says where it is' : 'through a connection to its endpoint';
    result.defaulted.push({ field: 'modelConfig.provider', value: known.agent, why: `${typeFrom} '${type}' speaks OpenAI's API: the agent runs as ${known.agent}, ${through}` });
  }
  if (known && baseUrl !== undefined) {
    result.endpoint = { type, provider: known.connection, baseUrl };
    result.mapped.push({ from: 'llm_config.model_endpoint', to: 'connectionId' });
  }
  const parameters = { temperature: config?.temperature, maxTokens: config?.maxTokens };
  if (parameters.temperature !== undefined) result.mapped.push({ from: 'llm_config.temperature', to: 'modelConfig.parameters.temperature' });
  else result.defaulted.push({ field: 'modelConfig.parameters.temperature', value: DEFAULT_TEMPERATURE, why: 'the file gives no temperature' });
  if (parameters.maxTokens !== undefined) result.mapped.push({ from: 'llm_config.max_tokens', to: 'modelConfig.parameters.maxTokens' });
  const given = Object.fromEntries(Object.entries(parameters).filter(([, value]) => value !== undefined));
  if (Object.keys(given).length > 0) result.modelConfig.parameters = given;
  return result;
}
