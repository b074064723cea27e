import { z } from 'zod';
import { idSchema } from '../ids';
import type { MergePatch } from '../merge-patch';
import { extensionsSchema, recordMetaShape, requiredText, text } from '../record';
import { resolutionSchema } from '../prompt/resolution';

/** Model providers an agent can run on. */
export const PROVIDERS = ['openai', 'anthropic', 'google', 'ollama'] as const;

/** One model provider. */
export type Provider = (typeof PROVIDERS)[number];

/** Temperature an agent gets when its config names none. */
export const DEFAULT_TEMPERATURE = 0.7;

const parametersSchema = z.strictObject({
  temperature: z.number().min(0, 'must be at least 0').max(2, 'must be at most 2').default(DEFAULT_TEMPERATURE),
  maxTokens: z.number().int('must be an integer').positive('must be positive').optional(),
  topP: z.number().min(0, 'must be at least 0').max(1, 'must be at most 1').optional(),
  frequencyPenalty: z.number().min(-2, 'must be at least -2').max(2, 'must be at most 2').optional(),
  presencePenalty: z.number().min(-2, 'must be at least -2').max(2, 'must be at most 2').optional(),
});

const modelConfigSchema = z.strictObject({
  provider: z.enum(PROVIDERS, { error: `must be one of ${PROVIDERS.join(', ')}` }),
  modelId: requiredText(200),
  parameters: parametersSchema.default({ temperature: DEFAULT_TEMPERATURE }),
});

/** Caps on free text. */
export const AGENT_LIMITS = { name: 100, description: 2000 } as const;

const bodyShape = {
  name: requiredText(AGENT_LIMITS.name),
  description: text(AGENT_LIMITS.description).optional(),
  personalityId: idSchema,
  roleId: idSchema,
  /** The connection (model endpoint) the agent uses; its provider must serve the model config's. */
  connectionId: idSchema.optional(),
  color: z.string().regex(/^#[0-9a-fA-F]{6}$/, 'must be a hex colour like #1A2B3C'),
  modelConfig: modelConfigSchema,
  extensions: extensionsSchema.optional(),
};

/** What a caller sends to create an agent (id optional). */
export const agentCreateSchema = z.strictObject({ id: idSchema.optional(), ...bodyShape });

/** A stored agent: its body, and the resolution the service stamps on every write. */
export const agentSchema = z.strictObject({ ...recordMetaShape, ...bodyShape, resolution: resolutionSchema.optional() });

/** A stored agent. */
export type Agent = z.infer<typeof agentSchema>;
/** The model an agent runs on and its sampling parameters. */
export type ModelConfig = Agent['modelConfig'];
/** Input to create an agent. */
export type AgentInput = z.input<typeof agentCreateSchema>;
/** A partial change to an agent: a merge patch of its body. */
export type AgentPatch = MergePatch<Omit<AgentInput, 'id'>>;
