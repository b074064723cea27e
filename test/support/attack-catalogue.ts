import { loadFixture } from './fixtures';
import { validRecords } from './records';

/** A body sent where the configuration takes input, which must be refused. */
export interface InputAttack {
  name: string;
  kind: 'personality' | 'role' | 'agent' | 'bundle' | 'workflow';
  operation: 'create' | 'update' | 'import' | 'run' | 'create-with';
  body: unknown;
  expectCode: string;
  /** The field path the error must name. */
  expectPath: string;
  /** Text the detail for `expectPath` must contain. */
  messageIncludes?: string;
  /** Text that must never be printed or reported back (the credential the body carries). */
  secret?: string;
}

/** A body that must be accepted: guards against refusing ordinary prose. */
export interface BenignInput {
  name: string;
  kind: 'personality' | 'role' | 'agent';
  body: Record<string, unknown>;
}

/** An id that would name a path outside its folder. */
export interface TraversalAttack {
  name: string;
  kind: 'personality' | 'role' | 'agent' | 'workflow';
  operation: 'get' | 'history' | 'update' | 'delete' | 'restore' | 'show';
  id: string;
  expectCode: string;
  expectPath: string;
}

/** A file or folder of the data folder replaced by a symlink that leads outside it. */
export interface SymlinkAttack {
  name: string;
  /** Path under the data folder; `{workflow}` stands for the id of a workflow that ran. */
  link: string;
  /** What the link points at, outside the data folder. */
  target: 'planted-collection' | 'planted-history' | 'copy' | 'copy-with-planted' | 'text' | 'empty-dir' | 'missing';
  operations: string[];
  /** False when only the command line touches the file (its log). */
  library: boolean;
  /** False when only the library's compact() touches the file (a command folds only at its end, and warns). */
  cli?: boolean;
  /** True: the folder is left with changes in its change logs, as a killed process leaves it, for compact() to fold. */
  changeLogs?: boolean;
  expectCode: string;
}

/** test/fixtures/security/attacks.json, with its markers expanded. Other sections belong to other suites. */
export interface AttackCatalogue {
  inputs: InputAttack[];
  benign: BenignInput[];
  traversal: TraversalAttack[];
  symlinks: SymlinkAttack[];
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function isObject(value: unknown): value is Record<string, Json> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Copies `overrides` onto `base`, objects merged key by key; own `__proto__` keys stay plain keys. */
function merge(base: Record<string, unknown>, overrides: Record<string, unknown>): Record<string, unknown> {
  const entries = new Map(Object.entries(base));
  for (const [key, value] of Object.entries(overrides)) {
    const current = entries.get(key);
    entries.set(key, isObject(current) && isObject(value) ? merge(current, value) : value);
  }
  return Object.fromEntries(entries);
}

/**
 * Expands the fixture's markers: `{"$repeat": [text, n]}` is text repeated n times (oversized input),
 * `{"$concat": [parts...]}` joins parts (so no credential-shaped string sits whole in the repository), and
 * `{"$valid": "personality"|"role"|"agent", ...}` is a valid body with the other keys merged over it.
 */
export function expandMarkers(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(expandMarkers);
  if (!isObject(value)) return value;
  const keys = Object.keys(value);
  if (keys.length === 1 && keys[0] === '$repeat') {
    const [text, times] = value.$repeat as [unknown, number];
    return String(expandMarkers(text)).repeat(times);
  }
  if (keys.length === 1 && keys[0] === '$concat') return (value.$concat as unknown[]).map((part) => String(expandMarkers(part))).join('');
  const expanded = Object.fromEntries(keys.filter((k) => k !== '$valid').map((k) => [k, expandMarkers(value[k])]));
  if (!('$valid' in value)) return expanded;
  const kind = value.$valid as 'personality' | 'role' | 'agent';
  return merge(validRecords()[kind] as unknown as Record<string, unknown>, expanded);
}

/** Loads the attack catalogue, markers expanded (fresh objects on every call). */
export function loadAttackCatalogue(): AttackCatalogue {
  const raw = loadFixture<Record<string, unknown>>('security/attacks.json');
  return expandMarkers(raw) as AttackCatalogue;
}
