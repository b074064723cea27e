import { hasPngSignature } from './png-chunks';

const CARD_SPECS: readonly unknown[] = ['chara_card_v2', 'chara_card_v3'];

/** True when a parsed JSON value says it is a V2 or V3 card (a `spec` and a `data` object); not a validation. */
export function isCardJson(value: unknown): boolean {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const { spec, data } = value as Record<string, unknown>;
  return CARD_SPECS.includes(spec) && typeof data === 'object' && data !== null && !Array.isArray(data);
}

/** True when the bytes start with the PNG signature; whether a card is inside is for readCardPng to say. */
export function isPng(bytes: Buffer): boolean {
  return hasPngSignature(bytes);
}
