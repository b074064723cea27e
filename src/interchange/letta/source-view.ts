import type { LettaAgent, LettaBlock, LettaLlmConfig, LettaTool } from './types';

type Body = Record<string, unknown>;

/** `value` without its undefined fields. */
function defined(value: Body): Body {
  return Object.fromEntries(Object.entries(value).filter(([, item]) => item !== undefined));
}

/** A memory block as the file writes it. */
export function blockView(block: LettaBlock): Body {
  return defined({ id: block.id, label: block.label, value: block.value, limit: block.limit, description: block.description, ...block.extra });
}

/** A tool as the file writes it (a bare name when that is all the file gave). */
export function toolView(tool: LettaTool): Body {
  return defined({ id: tool.id, name: tool.name, description: tool.description, ...tool.extra });
}

/** An llm_config as the file writes it. */
export function llmConfigView(config: LettaLlmConfig): Body {
  return defined({
    model: config.model,
    model_endpoint_type: config.modelEndpointType,
    model_endpoint: config.modelEndpoint,
    temperature: config.temperature,
    max_tokens: config.maxTokens,
    context_window: config.contextWindow,
    ...config.extra,
  });
}

/** A whole agent as the file writes it (blocks and tools resolved), so checks name fields by the file's names. */
export function agentView(agent: LettaAgent): Body {
  return defined({
    ...agent.extra,
    id: agent.id,
    name: agent.name,
    system: agent.system,
    description: agent.description,
    model: agent.model,
    llm_config: agent.llmConfig ? llmConfigView(agent.llmConfig) : undefined,
    blocks: agent.blocks.map(blockView),
    tools: agent.tools.map(toolView),
  });
}
