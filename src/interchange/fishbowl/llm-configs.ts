import { z } from 'zod';
import { isCredentialName } from '../credential-fields';
import { definedFields, extraFields, fishbowlId, fishbowlRequiredText, isoDateTime, recordList } from './schema-parts';

/** The providers Fishbowl's LLM configurations name. */
export const FISHBOWL_PROVIDERS = ['openai', 'anthropic'] as const;

/** Why a base URL is refused, or null. The URL itself is never put in a message: it may hold a credential. */
function baseUrlProblem(value: string): string | null {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'must be an http or https URL';
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return 'must be an http or https URL';
  if (url.username !== '' || url.password !== '') return 'must not hold a user name or password';
  if ([...url.searchParams.keys()].some(isCredentialName)) return 'must not carry a credential in its query';
  return null;
}

const baseUrlSchema = z
  .string('must be a string')
  .max(2000, 'must be at most 2000 characters')
  .superRefine((value, context) => {
    const problem = value === '' ? null : baseUrlProblem(value);
    if (problem) context.addIssue({ code: 'custom', message: problem });
  });

const llmConfigSchema = z.looseObject({
  id: fishbowlId,
  customName: fishbowlRequiredText(100),
  provider: z.enum(FISHBOWL_PROVIDERS, { error: `must be one of ${FISHBOWL_PROVIDERS.join(', ')}` }),
  baseUrl: baseUrlSchema.optional(),
  useAuthHeader: z.boolean('must be true or false'),
  createdAt: isoDateTime,
  updatedAt: isoDateTime,
});

/** llm_config.json as Fishbowl writes it: a bare array; the API keys themselves live in the OS keychain. */
export const llmConfigsFileSchema = recordList(llmConfigSchema);

const KNOWN = ['id', 'customName', 'provider', 'baseUrl', 'useAuthHeader', 'createdAt', 'updatedAt'];

/** One Fishbowl LLM configuration: where a provider is reached, never its key. */
export interface FishbowlLlmConfig {
  id: string;
  customName: string;
  provider: (typeof FISHBOWL_PROVIDERS)[number];
  /** Absent when Fishbowl uses the provider's default endpoint (an empty string reads as absent). */
  baseUrl?: string;
  useAuthHeader: boolean;
  createdAt: string;
  updatedAt: string;
  extra: Record<string, unknown>;
}

/** A validated LLM configuration, typed. */
export function normaliseLlmConfig(config: z.output<typeof llmConfigSchema>): FishbowlLlmConfig {
  return definedFields({
    id: config.id,
    customName: config.customName,
    provider: config.provider,
    baseUrl: config.baseUrl === '' ? undefined : config.baseUrl,
    useAuthHeader: config.useAuthHeader,
    createdAt: config.createdAt,
    updatedAt: config.updatedAt,
    extra: extraFields(config, KNOWN),
  });
}
