import type { AgentFileInput, BlockInput, FileAgentInput, FlatAgentInput, LlmConfigInput, ToolInput } from './schemas';
import type { LettaAgent, LettaBlock, LettaLlmConfig, LettaTool } from './types';

/** `value` without its undefined fields, so an absent field is absent (not present as undefined). */
function defined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, item]) => item !== undefined)) as T;
}

function without(value: Record<string, unknown>, known: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(Object.entries(value).filter(([key]) => !known.includes(key)));
}

function block(input: BlockInput): LettaBlock {
  return defined({
    id: input.id ?? undefined,
    label: input.label ?? undefined,
    value: input.value ?? '',
    limit: input.limit ?? undefined,
    description: input.description ?? undefined,
    extra: without(input, ['id', 'label', 'value', 'limit', 'description']),
  });
}

function tool(input: ToolInput | string): LettaTool {
  if (typeof input === 'string') return { name: input, extra: {} };
  return defined({ id: input.id ?? undefined, name: input.name, description: input.description ?? undefined, extra: without(input, ['id', 'name', 'description']) });
}

function llmConfig(input: LlmConfigInput): LettaLlmConfig {
  return defined({
    model: input.model,
    modelEndpointType: input.model_endpoint_type,
    modelEndpoint: input.model_endpoint ?? undefined,
    temperature: input.temperature ?? undefined,
    maxTokens: input.max_tokens ?? undefined,
    contextWindow: input.context_window ?? undefined,
    extra: without(input, ['model', 'model_endpoint_type', 'model_endpoint', 'temperature', 'max_tokens', 'context_window']),
  });
}

/** One tool per name: an agent may list a tool both by id and by name. */
function uniqueByName(tools: LettaTool[]): LettaTool[] {
  const seen = new Set<string>();
  return tools.filter((t) => !seen.has(t.name) && seen.add(t.name));
}

const COMMON_KNOWN = ['id', 'name', 'system', 'description', 'tools', 'llm_config', 'model'];

function agent(input: FileAgentInput | FlatAgentInput, layout: LettaAgent['layout'], blocks: LettaBlock[], tools: LettaTool[], known: readonly string[], source: string): LettaAgent {
  return defined({
    layout,
    id: input.id ?? undefined,
    name: input.name,
    system: input.system ?? undefined,
    description: input.description ?? undefined,
    persona: blocks.find((b) => b.label === 'persona')?.value,
    blocks,
    llmConfig: input.llm_config ? llmConfig(input.llm_config) : undefined,
    model: input.model ?? undefined,
    tools: uniqueByName(tools),
    extra: without(input, [...COMMON_KNOWN, ...known]),
    source,
  });
}

/** The agents of a validated file in today's layout, each with the blocks and tools it names resolved. */
export function agentsOfFile(file: AgentFileInput, source: string): LettaAgent[] {
  const blocks = new Map(file.blocks.map((b) => [b.id, block(b)]));
  const tools = new Map((file.tools ?? []).flatMap((t) => (t.id ? [[t.id, tool(t)] as const] : [])));
  return file.agents.map((input) => {
    // The schema checked every id, so each lookup finds its target.
    const own = [...(input.block_ids ?? []).map((id) => blocks.get(id) as LettaBlock), ...(input.memory_blocks ?? []).map(block)];
    const named = [...(input.tool_ids ?? []).map((id) => tools.get(id) as LettaTool), ...(input.tools ?? []).map(tool)];
    return agent(input, 'agent-file', own, named, ['block_ids', 'memory_blocks', 'tool_ids'], source);
  });
}

/** The one agent of a validated file in the older flat layout. */
export function agentOfFlat(input: FlatAgentInput, source: string): LettaAgent {
  return agent(input, 'flat', (input.core_memory ?? []).map(block), (input.tools ?? []).map(tool), ['core_memory'], source);
}
