import { ID_PATTERN } from '../domain/ids';
import { KINDS, RECORD_KINDS, type RecordKind } from '../domain/kinds/registry';

const MAX_ID = 64;

/** The ids of the records of `kinds` shipped with agentcfg, in every data folder: an import taking one would be a CONFLICT. */
export function templateIdsOf(kinds: readonly RecordKind[]): ReadonlySet<string> {
  return new Set(kinds.flatMap((kind) => (KINDS[kind].templates as readonly { id: string }[]).map((t) => t.id)));
}

const TEMPLATE_IDS = templateIdsOf(RECORD_KINDS);

/**
 * `name` as an id: as it is when valid, else lower-cased with other characters as `-`, its start cut to a letter or
 * digit and what `trimEnd` matches cut from its end; null when that leaves no valid id.
 */
export function idFromName(name: string, trimEnd?: RegExp): string | null {
  if (ID_PATTERN.test(name)) return name;
  const cleaned = name
    .toLowerCase()
    .replace(/[^a-z0-9_-]+/g, '-')
    .replace(/^[^a-z0-9]+/, '')
    .slice(0, MAX_ID);
  const trimmed = trimEnd === undefined ? cleaned : cleaned.replace(trimEnd, '');
  return ID_PATTERN.test(trimmed) ? trimmed : null;
}

/**
 * Gives the records of one import their agentcfg ids, made from the source's names (keys, agent names): unique
 * within each kind, so two source names that clean up alike ('Writer', 'writer') do not collide in one bundle,
 * and never a template's id (a key 'analyst' gives 'analyst-2'), which every data folder holds.
 */
export class ImportIds {
  private readonly taken = new Map<string, Set<string>>();

  /** `fallback` is the id of a record whose name leaves no usable id (all punctuation, say). */
  constructor(private readonly fallback: string) {}

  /** A fresh id of `kind` for the source name `name`. */
  idFor(kind: string, name: string): string {
    const taken = this.taken.get(kind) ?? new Set<string>();
    this.taken.set(kind, taken);
    const base = idFromName(name, /-+$/) ?? this.fallback;
    let id = base;
    for (let n = 2; taken.has(id) || TEMPLATE_IDS.has(id); n += 1) {
      const suffix = `-${n}`;
      id = `${base.slice(0, MAX_ID - suffix.length)}${suffix}`;
    }
    taken.add(id);
    return id;
  }
}
