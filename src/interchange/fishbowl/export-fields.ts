import { findCredentialFields, isCredentialName } from '../credential-fields';
import { isoDateTime } from './schema-parts';

/** Fishbowl's caps on text, as its readers' schemas hold them: longer agentcfg text is cut to fit. */
export const FISHBOWL_TEXT_LIMITS = {
  personalityName: 50,
  customInstructions: 500,
  roleName: 100,
  roleDescription: 500,
  systemPrompt: 5000,
  agentName: 100,
  model: 200,
  llmConfigName: 100,
} as const;

/** How many behaviours a Fishbowl personality may hold. */
export const MAX_FISHBOWL_BEHAVIOURS = 200;

/** A record as a bundle holds it, fields read with care: a hand-made bundle may lack some. */
export type BundleRecord = Record<string, unknown>;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** What a record keeps about Fishbowl (`extensions.fishbowl`); empty for a record made in agentcfg. */
export function fishbowlExtension(record: BundleRecord): Record<string, unknown> {
  const fishbowl = isPlainObject(record.extensions) ? record.extensions.fishbowl : undefined;
  return isPlainObject(fishbowl) ? fishbowl : {};
}

/** A text field of a record, or `fallback` when it is not text. */
export function textOf(record: BundleRecord, field: string, fallback = ''): string {
  const value = record[field];
  return typeof value === 'string' ? value : fallback;
}

/** The entries of `map` that are numbers within min..max: what a Fishbowl reader accepts as scores. */
export function scoresWithin(map: unknown, min: number, max: number): Record<string, number> {
  if (!isPlainObject(map)) return {};
  const scores = Object.entries(map).filter(
    (entry): entry is [string, number] => /\S/.test(entry[0]) && typeof entry[1] === 'number' && entry[1] >= min && entry[1] <= max,
  );
  return Object.fromEntries(scores);
}

/**
 * Fields Fishbowl had that its reader did not know, given back as they were. Fields the writer sets itself are
 * left to it, and anything named like a credential is never written (Fishbowl's reader refuses it, too).
 */
export function extraFieldsToWrite(fishbowl: Record<string, unknown>, written: readonly string[]): Record<string, unknown> {
  const extra = Object.entries(fishbowl).filter(([key, value]) => !written.includes(key) && findCredentialFields({ [key]: value }).length === 0);
  return Object.fromEntries(extra);
}

function isoOrUndefined(value: unknown): string | undefined {
  return typeof value === 'string' && isoDateTime.safeParse(value).success ? value : undefined;
}

/**
 * A record's Fishbowl timestamps: the ones Fishbowl gave, else agentcfg's, else `now`. A record changed in agentcfg
 * since its import (version above 1) takes agentcfg's updatedAt, so Fishbowl sees the change as newer.
 */
export function timestampsOf(record: BundleRecord, fishbowl: Record<string, unknown>, now: string): { createdAt: string; updatedAt: string } {
  const own = { createdAt: isoOrUndefined(record.createdAt), updatedAt: isoOrUndefined(record.updatedAt) };
  const changedHere = typeof record.version === 'number' && record.version > 1;
  const createdAt = isoOrUndefined(fishbowl.createdAt) ?? own.createdAt ?? now;
  const updatedAt = (changedHere ? own.updatedAt : undefined) ?? isoOrUndefined(fishbowl.updatedAt) ?? own.updatedAt ?? now;
  return { createdAt, updatedAt };
}

/** A base URL without query parameters named like a credential: Fishbowl keeps keys in the OS keychain only. */
export function baseUrlWithoutCredentials(value: string): string {
  const url = new URL(value);
  const named = [...url.searchParams.keys()].filter(isCredentialName);
  if (named.length === 0) return value;
  for (const name of named) url.searchParams.delete(name);
  return url.toString();
}
