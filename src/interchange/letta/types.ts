import type { LettaLayout } from './shape';

/** A memory block: `persona` (who the agent is), `human` (who it talks to), or any other label. */
export interface LettaBlock {
  id?: string;
  label?: string;
  value: string;
  /** The block's size limit in characters. */
  limit?: number;
  description?: string;
  extra: Record<string, unknown>;
}

/** The model an agent runs on, as Letta's llm_config says it. */
export interface LettaLlmConfig {
  model: string;
  /** The provider kind: openai, anthropic, ollama, google_ai… */
  modelEndpointType: string;
  modelEndpoint?: string;
  temperature?: number;
  maxTokens?: number;
  contextWindow?: number;
  extra: Record<string, unknown>;
}

/** A tool an agent may call: by name, with its definition when the file has one. */
export interface LettaTool {
  id?: string;
  name: string;
  description?: string;
  /** The rest of its definition (source code, JSON schema, tags…), kept as it was. */
  extra: Record<string, unknown>;
}

/** One Letta agent, the same shape whichever layout it came from. */
export interface LettaAgent {
  layout: LettaLayout;
  id?: string;
  name: string;
  system?: string;
  description?: string;
  /** The value of its first `persona` block. */
  persona?: string;
  /** All its memory blocks, resolved from ids or inline, in the file's order. */
  blocks: LettaBlock[];
  llmConfig?: LettaLlmConfig;
  /** The newer `provider/model` handle, when the file gives one. */
  model?: string;
  tools: LettaTool[];
  /** The agent's other keys, kept as they were (its message history is not read: it is not configuration). */
  extra: Record<string, unknown>;
  /** Where it was read from. */
  source: string;
}
