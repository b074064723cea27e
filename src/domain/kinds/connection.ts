import { z } from 'zod';
import { idSchema } from '../ids';
import type { MergePatch } from '../merge-patch';
import { endpointUrl, extensionsSchema, recordMetaShape, requiredText, text } from '../record';
import type { KindDefinition } from './kind';

/** Where a connection's models are served: the providers agents know, and any endpoint speaking OpenAI's API. */
export const CONNECTION_PROVIDERS = ['openai', 'anthropic', 'google', 'ollama', 'openai-compatible'] as const;

/** Providers that have no default endpoint: a connection to one must say where it is. */
const NEEDS_BASE_URL: ReadonlySet<string> = new Set(['ollama', 'openai-compatible']);

/** Caps on free text. */
export const CONNECTION_LIMITS = { name: 100, description: 2000, baseUrl: 2000, modelId: 200 } as const;

const baseUrlSchema = endpointUrl(CONNECTION_LIMITS.baseUrl);

/**
 * Where the API key lives, never the key: `env:NAME` (an environment variable) or `keychain:NAME` (the OS
 * keychain). Text that looks like a credential is refused anywhere, this field included.
 */
const apiKeyRefSchema = z.string().regex(/^(env|keychain):[A-Za-z_][A-Za-z0-9_.-]{0,127}$/, 'must be env:NAME or keychain:NAME (where the key lives, never the key)');

const bodyShape = {
  name: requiredText(CONNECTION_LIMITS.name),
  description: text(CONNECTION_LIMITS.description).optional(),
  provider: z.enum(CONNECTION_PROVIDERS, { error: `must be one of ${CONNECTION_PROVIDERS.join(', ')}` }),
  baseUrl: baseUrlSchema.optional(),
  defaultModelId: requiredText(CONNECTION_LIMITS.modelId).optional(),
  apiKeyRef: apiKeyRefSchema.optional(),
  extensions: extensionsSchema.optional(),
};

/** A connection of a provider that has no default endpoint must name its baseUrl. */
function withBaseUrlWhereNeeded<T extends z.ZodObject>(schema: T): T {
  return schema.superRefine((value, context) => {
    const { provider, baseUrl } = value as { provider?: string; baseUrl?: string };
    if (provider !== undefined && NEEDS_BASE_URL.has(provider) && baseUrl === undefined) {
      context.addIssue({ code: 'custom', path: ['baseUrl'], message: `is required for provider ${provider}` });
    }
  }) as unknown as T;
}

/** What a caller sends to create a connection (id optional). */
export const connectionCreateSchema = withBaseUrlWhereNeeded(z.strictObject({ id: idSchema.optional(), ...bodyShape }));

/** A stored connection. */
export const connectionSchema = withBaseUrlWhereNeeded(z.strictObject({ ...recordMetaShape, ...bodyShape }));

/** A model endpoint agents use. */
export type Connection = z.infer<typeof connectionSchema>;
/** Input to create a connection. */
export type ConnectionInput = z.input<typeof connectionCreateSchema>;
/** A partial change to a connection: a merge patch of its body. */
export type ConnectionPatch = MergePatch<Omit<ConnectionInput, 'id'>>;

/** Whether an agent on `provider` may use a connection of `connectionProvider` (OpenAI's API, for a compatible one). */
export function servesProvider(connectionProvider: string, provider: string): boolean {
  return connectionProvider === provider || (connectionProvider === 'openai-compatible' && provider === 'openai');
}

/** Connections: model endpoints that agents use, by reference. */
export const connectionKind = {
  name: 'connection',
  plural: 'connections',
  createSchema: connectionCreateSchema,
  recordSchema: connectionSchema,
  references: [],
  templates: [{ id: 'local-ollama', name: 'Local Ollama', description: 'Ollama on this machine, at its default port.', provider: 'ollama', baseUrl: 'http://127.0.0.1:11434' }],
  fileName: 'connections.json',
  columns: { headers: ['PROVIDER', 'BASE URL', 'KEY'], cells: (c: Connection) => [c.provider, c.baseUrl ?? '', c.apiKeyRef ?? ''] },
} as const satisfies KindDefinition<Connection>;
