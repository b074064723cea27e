import { z } from 'zod';
import { endpointUrl } from '../../domain/record';

/** Caps on each field: generous (a system prompt or a memory block can be long), but bounded. */
export const LETTA_LIMITS = { id: 500, name: 200, label: 200, text: 200_000, description: 20_000, model: 300, list: 10_000 } as const;

function text(max: number): z.ZodString {
  return z.string('must be a string').max(max, `must be at most ${max} characters`);
}
function requiredText(max: number): z.ZodString {
  return text(max).regex(/\S/, 'must not be blank');
}
function list<T extends z.ZodType>(item: T): z.ZodArray<T> {
  return z.array(item, 'must be an array').max(LETTA_LIMITS.list, `must hold at most ${LETTA_LIMITS.list} entries`);
}

const lettaId = requiredText(LETTA_LIMITS.id);

/** An endpoint is an http(s) URL with no user name or password in it; the URL is never put in a message. */
const endpoint = endpointUrl(2000);

/** A memory block: inline (core_memory, memory_blocks) it may have no id. */
export const blockSchema = z.looseObject({
  id: lettaId.nullish(),
  label: requiredText(LETTA_LIMITS.label).nullish(),
  value: text(LETTA_LIMITS.text).nullish(),
  limit: z.number('must be a number').int('must be an integer').nonnegative('must not be negative').nullish(),
  description: text(LETTA_LIMITS.description).nullish(),
});

/** A block of the file's shared list, which agents name by id. */
export const sharedBlockSchema = blockSchema.extend({ id: lettaId });

/** A tool definition (its source code and JSON schema are kept aside, unread). */
export const toolSchema = z.looseObject({
  id: lettaId.nullish(),
  name: requiredText(LETTA_LIMITS.name),
  description: text(LETTA_LIMITS.description).nullish(),
});

/** An agent's tools list: names (the newer layout's legacy field) or whole definitions (the flat layout). */
const toolRefs = list(z.union([requiredText(LETTA_LIMITS.name), toolSchema], 'must be a tool name or a tool'));

export const llmConfigSchema = z.looseObject({
  model: requiredText(LETTA_LIMITS.model),
  model_endpoint_type: requiredText(100),
  model_endpoint: endpoint.nullish(),
  temperature: z.number('must be a number').min(0, 'must be at least 0').max(2, 'must be at most 2').nullish(),
  max_tokens: z.number('must be a number').int('must be an integer').positive('must be positive').nullish(),
  context_window: z.number('must be a number').int('must be an integer').positive('must be positive').nullish(),
});

const agentShape = {
  id: lettaId.nullish(),
  name: requiredText(LETTA_LIMITS.name),
  system: text(LETTA_LIMITS.text).nullish(),
  description: text(LETTA_LIMITS.description).nullish(),
  tools: toolRefs.nullish(),
  llm_config: llmConfigSchema.nullish(),
  /** The newer `provider/model` handle. */
  model: requiredText(LETTA_LIMITS.model).nullish(),
};

/** One agent of today's layout: blocks by id from the file's list, or inline. */
export const fileAgentSchema = z.looseObject({
  ...agentShape,
  block_ids: list(lettaId).nullish(),
  memory_blocks: list(blockSchema).nullish(),
  tool_ids: list(lettaId).nullish(),
});

/** The older flat layout: the file is one agent, its blocks inline in core_memory. */
export const flatAgentSchema = z.looseObject({ ...agentShape, core_memory: list(blockSchema).nullish() });

/** Every id an agent names must be in the file's list of that thing. */
function checkReferences(ids: readonly string[] | null | undefined, known: ReadonlySet<string>, path: (string | number)[], what: string, context: z.RefinementCtx): void {
  ids?.forEach((id, index) => {
    if (!known.has(id)) context.addIssue({ code: 'custom', path: [...path, index], message: `names no ${what} of this file` });
  });
}

/** Today's layout: agents, the blocks and tools they name by id. */
export const agentFileSchema = z
  .looseObject({
    agents: list(fileAgentSchema).min(1, 'holds no agents'),
    blocks: list(sharedBlockSchema),
    tools: list(toolSchema).nullish(),
  })
  .superRefine((file, context) => {
    const blocks = new Set(file.blocks.map((block) => block.id));
    const tools = new Set((file.tools ?? []).flatMap((tool) => (tool.id ? [tool.id] : [])));
    file.agents.forEach((agent, index) => {
      checkReferences(agent.block_ids, blocks, ['agents', index, 'block_ids'], 'block', context);
      checkReferences(agent.tool_ids, tools, ['agents', index, 'tool_ids'], 'tool', context);
    });
  });

export type BlockInput = z.output<typeof blockSchema>;
export type ToolInput = z.output<typeof toolSchema>;
export type LlmConfigInput = z.output<typeof llmConfigSchema>;
export type FileAgentInput = z.output<typeof fileAgentSchema>;
export type FlatAgentInput = z.output<typeof flatAgentSchema>;
export type AgentFileInput = z.output<typeof agentFileSchema>;
