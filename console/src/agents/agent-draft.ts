import { agentCreateSchema, PROVIDERS, type Provider } from '../../../src/domain/agent/agent';
import { textValue, type FieldValue } from '../common/field-diff';
import type { StoredRecord } from '../api';

/** The sampling parameters an agent's model config takes (src/domain/agent/agent.ts), in the order shown. */
export const PARAMETER_KEYS = ['temperature', 'topP', 'maxTokens', 'frequencyPenalty', 'presencePenalty'] as const;
export type ParameterKey = (typeof PARAMETER_KEYS)[number];

/** One parameter's label and bounds, read from the agent kind's schema. */
export interface ParameterSpec {
  key: ParameterKey;
  label: string;
  min?: number;
  max?: number;
  /** A whole number (maxTokens) or a fraction. */
  step: number;
}

const LABELS: Record<ParameterKey, string> = {
  temperature: 'Temperature',
  topP: 'Top-p',
  maxTokens: 'Max tokens',
  frequencyPenalty: 'Frequency penalty',
  presencePenalty: 'Presence penalty',
};

const parameterShape = agentCreateSchema.shape.modelConfig.shape.parameters.unwrap().shape;

/** Each parameter's bounds as the schema states them, so the form and the API agree. */
export const PARAMETERS: readonly ParameterSpec[] = PARAMETER_KEYS.map((key) => {
  const field = parameterShape[key];
  const number = 'unwrap' in field ? field.unwrap() : field;
  const bound = (value: number | null) => (value === null || !Number.isFinite(value) ? undefined : value);
  return { key, label: LABELS[key], min: bound(number.minValue), max: bound(number.maxValue), step: number.isInt ? 1 : 0.05 };
});

export { PROVIDERS, type Provider };

/** An agent as the composer holds it: every field as text (an empty parameter is unset). */
export interface AgentDraft {
  name: string;
  description: string;
  color: string;
  personalityId: string;
  roleId: string;
  connectionId: string;
  provider: Provider;
  modelId: string;
  parameters: Record<ParameterKey, string>;
}

const text = (value: unknown) => (typeof value === 'string' ? value : '');

/** The draft of a stored agent, or of a new one. */
export function agentDraftOf(record: StoredRecord | null): AgentDraft {
  const model = (record?.modelConfig ?? {}) as { provider?: Provider; modelId?: string; parameters?: Record<string, number | undefined> };
  const parameters = Object.fromEntries(PARAMETER_KEYS.map((key) => [key, model.parameters?.[key] === undefined ? '' : String(model.parameters[key])])) as Record<ParameterKey, string>;
  if (!record) parameters.temperature = '0.7';
  return {
    name: record?.name ?? '',
    description: text(record?.description),
    color: text(record?.color) || '#1f5fbf',
    personalityId: text(record?.personalityId),
    roleId: text(record?.roleId),
    connectionId: text(record?.connectionId),
    provider: model.provider ?? PROVIDERS[0],
    modelId: model.modelId ?? '',
    parameters,
  };
}

/** The model config of the draft; on a patch an unset parameter is sent as null (removed). */
function modelConfigOf(draft: AgentDraft, forPatch: boolean) {
  const parameters: Record<string, number | null> = {};
  for (const key of PARAMETER_KEYS) {
    const value = draft.parameters[key].trim();
    if (value !== '') parameters[key] = Number(value);
    else if (forPatch) parameters[key] = null;
  }
  return { provider: draft.provider, modelId: draft.modelId, parameters };
}

/** The body of `POST /agents`: only what is filled in. */
export function agentCreateBody(draft: AgentDraft): Record<string, unknown> {
  return {
    name: draft.name,
    ...(draft.description.trim() ? { description: draft.description } : {}),
    color: draft.color,
    personalityId: draft.personalityId,
    roleId: draft.roleId,
    ...(draft.connectionId ? { connectionId: draft.connectionId } : {}),
    modelConfig: modelConfigOf(draft, false),
  };
}

/** A JSON merge patch that makes the stored agent match the draft (emptied optional fields are removed). */
export function agentPatch(draft: AgentDraft): Record<string, unknown> {
  return {
    name: draft.name,
    description: draft.description.trim() ? draft.description : null,
    color: draft.color,
    personalityId: draft.personalityId,
    roleId: draft.roleId,
    connectionId: draft.connectionId || null,
    modelConfig: modelConfigOf(draft, true),
  };
}

/** An agent draft's fields in the composer's order, for the conflict dialog. */
export function agentFields(draft: AgentDraft): FieldValue[] {
  return [
    { field: 'name', label: 'Name', value: textValue(draft.name) },
    { field: 'description', label: 'Description', value: textValue(draft.description) },
    { field: 'color', label: 'Colour', value: textValue(draft.color) },
    { field: 'personalityId', label: 'Personality', value: textValue(draft.personalityId) },
    { field: 'roleId', label: 'Role', value: textValue(draft.roleId) },
    { field: 'connectionId', label: 'Connection', value: textValue(draft.connectionId) },
    { field: 'provider', label: 'Provider', value: draft.provider },
    { field: 'modelId', label: 'Model id', value: textValue(draft.modelId) },
    ...PARAMETERS.map((p) => ({ field: p.key, label: p.label, value: textValue(draft.parameters[p.key]) })),
  ];
}
