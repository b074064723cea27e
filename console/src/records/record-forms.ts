import { textValue, type FieldValue } from '../common/field-diff';
import { CONNECTION_LIMITS, CONNECTION_PROVIDERS } from '../../../src/domain/kinds/connection';
import { ROLE_LIMITS } from '../../../src/domain/role/role';
import type { StoredRecord } from '../api';

/** One editable field of a record kind, as the generic editor shows it. */
export interface FieldSpec {
  key: string;
  label: string;
  /** text: one line; textarea: many; lines: a list, one item a line; select: one of `options`. */
  type: 'text' | 'textarea' | 'lines' | 'select' | 'url';
  required?: boolean;
  maxLength?: number;
  options?: readonly string[];
  hint?: string;
  /** What an emptied optional field is sent as in a merge patch: null removes it, '' keeps it as empty text. */
  empty?: 'null' | 'empty-text';
}

/** A record kind the generic screen edits. */
export interface KindForm {
  /** The API's plural (`/api/v1/<plural>`). */
  plural: string;
  /** The kind's name in events (`role`). */
  kind: string;
  /** "Roles", "role". */
  title: string;
  singular: string;
  fields: readonly FieldSpec[];
}

/** The fields every kind starts with: a required name and an optional description (emptied as the kind's schema wants). */
function nameAndDescription(limits: { name: number; description: number }, empty: FieldSpec['empty']): FieldSpec[] {
  return [
    { key: 'name', label: 'Name', type: 'text', required: true, maxLength: limits.name },
    { key: 'description', label: 'Description', type: 'textarea', maxLength: limits.description, empty },
  ];
}

/** Roles (src/domain/role/role.ts): name, description, system prompt, focus areas. */
export const ROLE_FORM: KindForm = {
  plural: 'roles',
  kind: 'role',
  title: 'Roles',
  singular: 'role',
  fields: [
    ...nameAndDescription(ROLE_LIMITS, 'empty-text'),
    { key: 'systemPrompt', label: 'System prompt', type: 'textarea', required: true, maxLength: ROLE_LIMITS.systemPrompt },
    { key: 'focusAreas', label: 'Focus areas', type: 'lines', hint: `one a line, at most ${ROLE_LIMITS.focusAreas}` },
  ],
};

/** Connections (src/domain/kinds/connection.ts): provider, base URL, default model, where the API key lives. */
export const CONNECTION_FORM: KindForm = {
  plural: 'connections',
  kind: 'connection',
  title: 'Connections',
  singular: 'connection',
  fields: [
    ...nameAndDescription(CONNECTION_LIMITS, 'null'),
    { key: 'provider', label: 'Provider', type: 'select', required: true, options: CONNECTION_PROVIDERS },
    { key: 'baseUrl', label: 'Base URL', type: 'url', maxLength: CONNECTION_LIMITS.baseUrl, hint: 'required for ollama and openai-compatible', empty: 'null' },
    { key: 'defaultModelId', label: 'Default model', type: 'text', maxLength: CONNECTION_LIMITS.modelId, empty: 'null' },
    { key: 'apiKeyRef', label: 'API key reference', type: 'text', hint: 'env:NAME or keychain:NAME: where the key lives, never the key', empty: 'null' },
  ],
};

/** The form's values: every field as text (a list one item a line). */
export type FormValues = Record<string, string>;

/** The values of a stored record, or of a new one (a select starts at its first option). */
export function valuesOf(form: KindForm, record: StoredRecord | null): FormValues {
  const values: FormValues = {};
  for (const field of form.fields) {
    const value = record?.[field.key];
    if (field.type === 'lines') values[field.key] = Array.isArray(value) ? value.join('\n') : '';
    else if (typeof value === 'string') values[field.key] = value;
    else values[field.key] = field.type === 'select' && !record ? (field.options?.[0] ?? '') : '';
  }
  return values;
}

function listOf(text: string): string[] {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '');
}

/** The body of a create: only what is filled in (a list always). */
export function createBodyOf(form: KindForm, values: FormValues): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const field of form.fields) {
    const value = values[field.key] ?? '';
    if (field.type === 'lines') body[field.key] = listOf(value);
    else if (value.trim() !== '') body[field.key] = value;
  }
  return body;
}

/** A JSON merge patch that makes the stored record match the form (an emptied optional field is removed or emptied). */
export function patchOf(form: KindForm, values: FormValues): Record<string, unknown> {
  const patch: Record<string, unknown> = {};
  for (const field of form.fields) {
    const value = values[field.key] ?? '';
    if (field.type === 'lines') patch[field.key] = listOf(value);
    else if (value.trim() !== '' || field.required) patch[field.key] = value;
    else patch[field.key] = field.empty === 'empty-text' ? '' : null;
  }
  return patch;
}

/** A form's values, field by field in the form's order, for the conflict dialog. */
export function formFields(form: KindForm, values: FormValues): FieldValue[] {
  return form.fields.map((field) => ({ field: field.key, label: field.label, value: textValue(values[field.key] ?? '') }));
}
