import { ROOT_KEYS, V2_DATA_KEYS, V3_DATA_KEYS, type Card, type CardV2 } from './card';

/** `known` with the extra keys added after it; an extra can never overwrite a spec field. */
function withExtras(known: Record<string, unknown>, extras: Record<string, unknown>, knownKeys: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = { ...known };
  for (const [key, value] of Object.entries(extras)) if (!knownKeys.includes(key)) out[key] = value;
  return out;
}

/** The card as its spec's JSON object, the unknown keys put back where they were read from. */
export function cardToObject(card: Card): Record<string, unknown> {
  const { spec, spec_version, data, unknownData, unknownRoot } = card;
  const dataKeys = card.version === 3 ? V3_DATA_KEYS : V2_DATA_KEYS;
  return withExtras({ spec, spec_version, data: withExtras(data, unknownData, dataKeys) }, unknownRoot, ROOT_KEYS);
}

/** The card as JSON text, as written to a .json file (`space` to indent) or into a PNG (compact). */
export function cardToJson(card: Card, space?: number): string {
  return JSON.stringify(cardToObject(card), null, space);
}

/**
 * The card as a V2 card, for readers that know only V2 (a V3 PNG's `chara` chunk). V3-only fields and unknown
 * keys are left out: the V3 copy beside it carries them, and wins for any reader that knows V3.
 */
export function toV2Card(card: Card): CardV2 {
  if (card.version === 2) return { spec: card.spec, spec_version: card.spec_version, data: card.data };
  const data = Object.fromEntries(Object.entries(card.data).filter(([key]) => V2_DATA_KEYS.includes(key))) as CardV2['data'];
  return { spec: 'chara_card_v2', spec_version: '2.0', data };
}
