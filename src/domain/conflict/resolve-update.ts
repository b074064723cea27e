import { mergePatch } from '../merge-patch';
import { changedPaths, leafValues, withPath } from './field-paths';

/** How an update made against an older version is reconciled with what was written since. */
export const CONFLICT_STRATEGIES = ['reject', 'last-write-wins', 'merge'] as const;
/** One conflict strategy. */
export type ConflictStrategy = (typeof CONFLICT_STRATEGIES)[number];

/** How `merge` settles a field both sides changed: the larger or smaller number, or one side. */
export const FIELD_RULES = ['max', 'min', 'mine', 'theirs'] as const;
/** One per-field merge rule. */
export type FieldRule = (typeof FIELD_RULES)[number];

/** Where a field of the result came from. */
export interface FieldSource {
  path: string;
  source: 'mine' | 'theirs' | 'both' | `rule:${FieldRule}`;
}

/** The reconciled record, and where each changed field came from; or the fields that conflict. */
export type UpdateResolution =
  | { ok: true; record: Record<string, unknown>; fields: FieldSource[] }
  | { ok: false; conflicts: string[] };

/** What is being reconciled: the base the writer read, the record now, and the writer's patch. */
export interface UpdateAgainstOldVersion {
  base: Record<string, unknown> | null;
  current: Record<string, unknown>;
  patch: Record<string, unknown>;
  strategy: ConflictStrategy;
  rules?: Readonly<Record<string, FieldRule>>;
}

const MANAGED = new Set(['id', 'isTemplate', 'version', 'createdAt', 'updatedAt']);

function applyRule(rule: FieldRule, mine: unknown, theirs: unknown): unknown {
  if (rule === 'mine') return mine;
  if (rule === 'theirs') return theirs;
  if (typeof mine !== 'number' || typeof theirs !== 'number') return undefined;
  return rule === 'max' ? Math.max(mine, theirs) : Math.min(mine, theirs);
}

/**
 * Reconciles an update written against version `base` with the record as it is now.
 * - reject: first write wins; the conflicting fields are those both sides changed (else all the patch touches).
 * - last-write-wins: the patch is applied on top of the current record; per field, the later write wins.
 * - merge: three-way against the base; fields only one side changed merge; a field both changed to different
 *   values is a conflict unless a rule (`max`, `min`, `mine`, `theirs`) for its path settles it.
 */
export function resolveUpdate(input: UpdateAgainstOldVersion): UpdateResolution {
  const { current, patch, strategy, rules = {} } = input;
  const patchPaths = [...leafValues(patch).keys()].filter((p) => !MANAGED.has(p));
  if (strategy === 'last-write-wins') {
    const record = mergePatch(current, patch);
    const mine = new Set(patchPaths);
    // With the base at hand, the fields others changed since can be named too.
    const theirs = input.base === null ? [] : [...changedPaths(input.base, current)].filter((p) => !MANAGED.has(p) && !mine.has(p));
    const fields: FieldSource[] = [...patchPaths.map((path) => ({ path, source: 'mine' as const })), ...theirs.map((path) => ({ path, source: 'theirs' as const }))];
    return { ok: true, record, fields: fields.sort((a, b) => a.path.localeCompare(b.path)) };
  }
  if (input.base === null) return { ok: false, conflicts: patchPaths };
  const base = input.base;
  const mineRecord = mergePatch(base, patch);
  const mine = [...changedPaths(base, mineRecord)].filter((p) => !MANAGED.has(p));
  const theirs = new Set([...changedPaths(base, current)].filter((p) => !MANAGED.has(p)));
  const both = mine.filter((p) => theirs.has(p));
  if (strategy === 'reject') return { ok: false, conflicts: both.length > 0 ? both : patchPaths };

  const mineValues = leafValues(mineRecord);
  const theirValues = leafValues(current);
  let record = current;
  const fields: FieldSource[] = [...theirs].filter((p) => !mine.includes(p)).map((path) => ({ path, source: 'theirs' }));
  const conflicts: string[] = [];
  for (const path of mine) {
    const value = mineValues.get(path);
    if (!theirs.has(path)) {
      record = withPath(record, path, value);
      fields.push({ path, source: 'mine' });
    } else if (JSON.stringify(value) === JSON.stringify(theirValues.get(path))) {
      fields.push({ path, source: 'both' });
    } else {
      const rule = rules[path];
      const settled = rule === undefined ? undefined : applyRule(rule, value, theirValues.get(path));
      if (rule === undefined || (settled === undefined && rule !== 'mine' && rule !== 'theirs')) conflicts.push(path);
      else {
        record = withPath(record, path, settled);
        fields.push({ path, source: `rule:${rule}` });
      }
    }
  }
  return conflicts.length > 0 ? { ok: false, conflicts } : { ok: true, record, fields: fields.sort((a, b) => a.path.localeCompare(b.path)) };
}
