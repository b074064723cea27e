import { z } from 'zod';
import { parseAt } from './parse-at';

/** The name, in a record's `extensions`, of what it keeps of the card it came from. */
export const CARD_EXTENSION = 'card';

/** The three records a card becomes. */
export type CardRecordKind = 'personality' | 'role' | 'agent';

/** What a record keeps of its card, under `extensions.card`, for an export to give back. */
export const keptCardSchema = z.strictObject({
  /** Fields of the card's `data` as the card had them: spec fields agentcfg has no field for, and unknown keys. */
  data: z.looseObject({ extensions: z.record(z.string(), z.unknown()).optional() }).optional(),
  /** The card's top-level keys beside spec, spec_version and data (a V2 card's V1 copies, an app's own keys). */
  root: z.record(z.string(), z.unknown()).optional(),
  /** The card's spec and spec_version, when the version is not the spec's own ('2.0', '3.0'). */
  spec: z.strictObject({ spec: z.string(), spec_version: z.string() }).optional(),
  /** Which card fields the role's systemPrompt is made of, by length (see prompt-parts). */
  promptParts: z.record(z.string(), z.number().int().nonnegative()).optional(),
  /** The connection the card's agentcfg fields name: kept aside, as it may not exist where the card is imported. */
  connection: z.record(z.string(), z.unknown()).optional(),
});

/** What a record keeps of its card. */
export type KeptCard = z.output<typeof keptCardSchema>;

/** The card's fields that take an empty value when missing: an import need not keep them when they are empty. */
export const SPEC_DEFAULTS: ReadonlyMap<string, '' | readonly []> = new Map<string, '' | readonly []>([
  ...['description', 'personality', 'scenario', 'first_mes', 'mes_example', 'creator_notes', 'system_prompt', 'post_history_instructions', 'creator', 'character_version'].map(
    (key) => [key, ''] as const,
  ),
  ...['alternate_greetings', 'tags', 'group_only_greetings'].map((key) => [key, []] as const),
]);

/** The value a card field takes when a card leaves it out (undefined for an optional one), fresh each time. */
export function specDefaultOf(key: string): '' | [] | undefined {
  const empty = SPEC_DEFAULTS.get(key);
  return empty === undefined ? undefined : empty === '' ? '' : [];
}

/** True when `value` is the empty value `key` takes when a card leaves it out. */
export function isSpecDefault(key: string, value: unknown): boolean {
  return SPEC_DEFAULTS.has(key) && (value === '' || (Array.isArray(value) && value.length === 0));
}

/** Where the card's `data` fields are kept: how the character speaks with the personality, its lore with the role. */
const HOMES: ReadonlyMap<string, CardRecordKind> = new Map<string, CardRecordKind>([
  ['personality', 'personality'],
  ['mes_example', 'personality'],
  ['description', 'role'],
  ['system_prompt', 'role'],
  ['scenario', 'role'],
  ['post_history_instructions', 'role'],
  ['character_book', 'role'],
]);

/** The record a card field (its path: `data.character_book`, `create_date`) belongs with; the agent for any other. */
export function homeOf(path: string): CardRecordKind {
  const [top, key] = path.split('.');
  return top === 'data' && key !== undefined ? (HOMES.get(key) ?? 'agent') : 'agent';
}

/** What a record keeps of its card (nothing, when it came from no card); `at` names the record in errors. */
export function keptCardOf(record: { extensions?: Record<string, unknown> }, at: string): KeptCard {
  const kept = record.extensions?.[CARD_EXTENSION];
  return kept === undefined ? {} : parseAt(keptCardSchema, kept, 'kept card fields', `${at}.extensions.${CARD_EXTENSION}`);
}

/** What the three records of an agent keep of its card, as one: each keeps different fields. */
export function mergeKeptCards(kept: readonly KeptCard[]): KeptCard & { data: Record<string, unknown>; root: Record<string, unknown> } {
  const merged = Object.assign({}, ...kept) as KeptCard;
  const data = Object.assign({}, ...kept.map((one) => one.data ?? {})) as Record<string, unknown>;
  const root = Object.assign({}, ...kept.map((one) => one.root ?? {})) as Record<string, unknown>;
  return { ...merged, data, root };
}
