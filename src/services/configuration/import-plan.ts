import { withoutManagedFields, type Bundle } from '../../domain/bundle';
import { ConflictError } from '../../domain/errors/errors';
import { KINDS, RECORD_KINDS, type RecordKind } from '../../domain/kinds/registry';
import { MANAGED_FIELDS } from '../../domain/record';
import type { WorkflowDefinition, WorkflowStep } from '../../domain/workflow/workflow-definition';

/** What an import does with a record whose id is taken: refuse the whole import, keep the one there, replace it, or take a new id. */
export const ON_CONFLICT = ['fail', 'skip', 'overwrite', 'rename'] as const;
export type OnConflict = (typeof ON_CONFLICT)[number];

/** A record of the bundle whose id was taken, and what became of it. */
export interface ImportConflict {
  kind: RecordKind;
  id: string;
  resolution: 'skipped' | 'overwritten' | 'renamed';
  /** The id it was created with (renamed). */
  newId?: string;
}

/** What is stored now, by kind and id: the records an import may collide with. */
export type ExistingRecords = ReadonlyMap<RecordKind, ReadonlyMap<string, Record<string, unknown>>>;

type Body = Record<string, unknown>;

/** The first `<id>-<n>` (n from 2) free among the stored records and the bundle's. */
function freeId(id: string, taken: ReadonlySet<string>): string {
  for (let n = 2; ; n++) {
    const candidate = `${id}-${n}`;
    if (!taken.has(candidate)) return candidate;
  }
}

/**
 * A merge patch that makes `current` what `body` would be as a new record: its fields with the kind's defaults for
 * what it leaves out (a role's focus areas, say), and null for every other field of `current`. A body the kind
 * refuses goes as it is, for the update step to refuse naming the fields.
 */
function replacingPatch(kind: RecordKind, current: Body, body: Body): Body {
  const created = KINDS[kind].createSchema.safeParse(withoutManagedFields(body));
  const complete = created.success ? (created.data as Body) : withoutManagedFields(body);
  const managed: readonly string[] = MANAGED_FIELDS;
  const cleared = Object.keys(current).filter((key) => key !== 'id' && !managed.includes(key) && !(key in complete));
  const { id: _id, ...fields } = complete;
  return { ...fields, ...Object.fromEntries(cleared.map((key) => [key, null])) };
}

/**
 * The workflow that imports a bundle, and what became of the records whose ids are taken: `fail` refuses the whole
 * import up front (CONFLICT naming every one; nothing is written), `skip` leaves the stored record as it is (the
 * bundle's references to it then mean it), `overwrite` replaces it (expecting the version read, so a change made
 * meanwhile is a CONFLICT and the import is undone whole), `rename` creates the bundle's record under the first free
 * `<id>-<n>` and points the bundle's references to it there.
 */
export function planImport(bundle: Bundle, existing: ExistingRecords, onConflict: OnConflict): { definition: WorkflowDefinition; conflicts: ImportConflict[] } {
  const conflicts: ImportConflict[] = [];
  const renamed = new Map<string, string>(); // `${kind}:${id}` → new id
  const bodies = new Map<RecordKind, Body[]>();
  for (const kind of RECORD_KINDS) {
    const stored = existing.get(kind) ?? new Map();
    const records = bundle[KINDS[kind].plural] as Body[];
    const taken = new Set<string>([...stored.keys(), ...records.map((r) => String(r.id))]);
    const kept: Body[] = [];
    records.forEach((record) => {
      const id = typeof record.id === 'string' ? record.id : undefined;
      if (id === undefined || !stored.has(id)) return kept.push(record);
      if (onConflict === 'skip') return conflicts.push({ kind, id, resolution: 'skipped' });
      if (onConflict === 'rename') {
        const newId = freeId(id, taken);
        taken.add(newId);
        renamed.set(`${kind}:${id}`, newId);
        conflicts.push({ kind, id, resolution: 'renamed', newId });
        return kept.push({ ...record, id: newId });
      }
      conflicts.push({ kind, id, resolution: 'overwritten' });
      return kept.push(record);
    });
    bodies.set(kind, kept);
  }
  if (onConflict === 'fail' && conflicts.length > 0) {
    const details = conflicts.map((c) => ({ path: `${KINDS[c.kind].plural}.${c.id}`, message: `${c.kind} '${c.id}' already exists` }));
    throw new ConflictError(`the bundle's ids are taken: ${details.map((d) => d.message).join('; ')} (choose --on-conflict skip, overwrite or rename)`, null, {
      details,
      context: { service: 'configuration', operation: 'import', onConflict },
    });
  }
  const steps: WorkflowStep[] = RECORD_KINDS.flatMap((kind) =>
    (bodies.get(kind) ?? []).map((record, i): WorkflowStep => {
      const body = pointedToRenamed(kind, record, renamed);
      const current = typeof body.id === 'string' ? existing.get(kind)?.get(body.id) : undefined;
      if (current && onConflict === 'overwrite') {
        return { id: `${kind}-${i}`, service: kind, action: 'update', input: { id: body.id, patch: replacingPatch(kind, current, body), expectedVersion: current.version } };
      }
      return { id: `${kind}-${i}`, service: kind, action: 'create', input: withoutManagedFields(body) };
    }),
  );
  return { definition: { name: 'import', steps }, conflicts };
}

/** The record with its references to renamed records of the bundle pointing to their new ids. */
function pointedToRenamed(kind: RecordKind, record: Body, renamed: ReadonlyMap<string, string>): Body {
  const moved = KINDS[kind].references.flatMap(({ field, to }) => {
    const target = record[field];
    const newId = typeof target === 'string' ? renamed.get(`${to}:${target}`) : undefined;
    return newId === undefined ? [] : [[field, newId] as const];
  });
  return moved.length === 0 ? record : { ...record, ...Object.fromEntries(moved) };
}
