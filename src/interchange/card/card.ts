import { z } from 'zod';
import type { ErrorDetail } from '../../domain/errors/agentcfg-error';
import { findForbiddenKeys } from '../../domain/validation/forbidden-keys';
import { findExcessNesting } from '../../domain/validation/nesting';
import { issuesToDetails } from '../../domain/validation/parse-input';
import { parseJsonSafely } from '../../domain/validation/safe-json';
import { cardError } from './card-error';
import { MAX_IMPORT_BYTES } from './limits';

// Cards in the wild often leave out fields the spec calls required: missing ones take an empty value, but a field
// that is present must have the right type. Factories, so no two cards share a default array or object.
const text = () => z.string().default('');
const strings = () => z.array(z.string()).default(() => []);
const extensions = () => z.record(z.string(), z.unknown()).default(() => ({}));

/** A lorebook entry. Loose: apps add fields of their own here, and a round trip must keep them. */
const bookEntrySchema = z.looseObject({
  keys: strings(),
  content: text(),
  extensions: extensions(),
  enabled: z.boolean().default(true),
  insertion_order: z.number().default(0),
  case_sensitive: z.boolean().optional(),
  use_regex: z.boolean().optional(),
  constant: z.boolean().optional(),
  name: z.string().optional(),
  priority: z.number().optional(),
  id: z.union([z.number(), z.string()]).optional(),
  comment: z.string().optional(),
  selective: z.boolean().optional(),
  secondary_keys: z.array(z.string()).optional(),
  position: z.string().optional(),
});

/** The character's own lorebook (same shape in V2 and V3, V3 adding `use_regex` to entries). */
const characterBookSchema = z.looseObject({
  name: z.string().optional(),
  description: z.string().optional(),
  scan_depth: z.number().optional(),
  token_budget: z.number().optional(),
  recursive_scanning: z.boolean().optional(),
  extensions: extensions(),
  entries: z.array(bookEntrySchema).default(() => []),
});

const assetSchema = z.looseObject({ type: z.string(), uri: z.string(), name: text(), ext: text() });

const v2DataShape = {
  name: z.string(),
  description: text(),
  personality: text(),
  scenario: text(),
  first_mes: text(),
  mes_example: text(),
  creator_notes: text(),
  system_prompt: text(),
  post_history_instructions: text(),
  alternate_greetings: strings(),
  character_book: characterBookSchema.optional(),
  tags: strings(),
  creator: text(),
  character_version: text(),
  extensions: extensions(),
};

const v3DataShape = {
  ...v2DataShape,
  assets: z.array(assetSchema).optional(),
  nickname: z.string().optional(),
  creator_notes_multilingual: z.record(z.string(), z.string()).optional(),
  source: z.array(z.string()).optional(),
  group_only_greetings: strings(),
  creation_date: z.number().optional(),
  modification_date: z.number().optional(),
};

/** Character Card V2 (`chara_card_v2`). Unknown keys are stripped here; parseCardJson keeps them aside. */
export const cardV2Schema = z.object({
  spec: z.literal('chara_card_v2'),
  spec_version: z.string().default('2.0'),
  data: z.object(v2DataShape),
});

/** Character Card V3 (`chara_card_v3`). Any spec_version is read, as the V3 spec asks of readers. */
export const cardV3Schema = z.object({
  spec: z.literal('chara_card_v3'),
  spec_version: z.string().default('3.0'),
  data: z.object(v3DataShape),
});

export type CardV2 = z.output<typeof cardV2Schema>;
export type CardV3 = z.output<typeof cardV3Schema>;

/** What a card carried beyond its spec: top-level keys of `data`, and of the card itself (V1 copies, app fields). */
export interface CardExtras {
  unknownData: Record<string, unknown>;
  unknownRoot: Record<string, unknown>;
}

/** A card as read: the spec fields, its version, and every key the spec does not name, so nothing is lost. */
export type Card = (CardV2 & CardExtras & { version: 2 }) | (CardV3 & CardExtras & { version: 3 });

/** The keys the spec names at the card's top level and in its `data`. */
export const ROOT_KEYS: readonly string[] = ['spec', 'spec_version', 'data'];
export const V2_DATA_KEYS: readonly string[] = Object.keys(v2DataShape);
export const V3_DATA_KEYS: readonly string[] = Object.keys(v3DataShape);

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function unknownKeys(value: Record<string, unknown>, known: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(Object.entries(value).filter(([key]) => !known.includes(key)));
}

function refuse(source: string, details: ErrorDetail[]): never {
  throw cardError(source, 'invalid character card', details);
}

/** Validates a parsed JSON value as a V2 or V3 card, or throws a ValidationError naming every failing field. */
export function parseCard(value: unknown, source: string): Card {
  const tooDeep = findExcessNesting(value);
  if (tooDeep.length > 0) refuse(source, tooDeep);
  const forbidden = findForbiddenKeys(value);
  if (forbidden.length > 0) refuse(source, forbidden);
  if (!isPlainObject(value)) refuse(source, [{ path: '', message: 'not a JSON object' }]);
  const extras = (dataKeys: readonly string[]): CardExtras => ({
    unknownData: isPlainObject(value.data) ? unknownKeys(value.data, dataKeys) : {},
    unknownRoot: unknownKeys(value, ROOT_KEYS),
  });
  if (value.spec === 'chara_card_v3') {
    const result = cardV3Schema.safeParse(value);
    if (!result.success) refuse(source, issuesToDetails(result.error.issues));
    return { version: 3, ...result.data, ...extras(V3_DATA_KEYS) };
  }
  if (value.spec === 'chara_card_v2') {
    const result = cardV2Schema.safeParse(value);
    if (!result.success) refuse(source, issuesToDetails(result.error.issues));
    return { version: 2, ...result.data, ...extras(V2_DATA_KEYS) };
  }
  const why = value.spec === undefined ? "missing (a V1 card, or not a card)" : "expected 'chara_card_v2' or 'chara_card_v3'";
  return refuse(source, [{ path: 'spec', message: why }]);
}

/** Parses card JSON text (a .json file, or the text in a PNG's card chunk); `source` names it in errors. */
export function parseCardJson(text: string, source: string): Card {
  if (Buffer.byteLength(text, 'utf8') > MAX_IMPORT_BYTES) {
    refuse(source, [{ path: '', message: `larger than the ${MAX_IMPORT_BYTES}-byte cap` }]);
  }
  const parsed = parseJsonSafely(text);
  if (!parsed.ok) refuse(source, [{ path: '', message: parsed.reason }]);
  return parseCard(parsed.value, source);
}
