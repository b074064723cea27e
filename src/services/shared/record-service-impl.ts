import type { z } from 'zod';
import { ConflictError, ForbiddenError, NotFoundError, ReferenceIntegrityError, ValidationError } from '../../domain/errors/errors';
import { isDeepStrictEqual } from 'node:util';
import { newId, idSchema } from '../../domain/ids';
import { isPlainObject, mergePatch } from '../../domain/merge-patch';
import type { RecordKind } from '../../domain/record';
import type { RecordOf } from '../../domain/records';
import { findForbiddenKeys } from '../../domain/validation/forbidden-keys';
import { parseInput } from '../../domain/validation/parse-input';
import type { Commit, CommitOptions, IRecordStore, Planned, ReadOptions, StoreReader } from '../../storage/record-store';
import type { AuditEvent } from '../../audit/audit-entry';
import type { RecordChange, ResolvedUpdate, RevertOutcome, WriteOptions } from './record-service';
import type { InputOf, PatchOf, RecordServiceOf } from './record-services';
import { KINDS, kindOf, referencesTo } from '../../domain/kinds/registry';
import type { KindDefinition } from '../../domain/kinds/kind';
import type { ErrorDetail } from '../../domain/errors/agentcfg-error';
import type { IAccessControl } from '../../security/access-control';
import type { IAuditLog } from '../../audit/audit-log';
import { digestOf, type AuditOutcome } from '../../audit/audit-entry';
import { guarded } from '../../security/guarded';
import { printable } from '../../domain/validation/text-hygiene';
import { hasRight, type Right } from '../../security/rights';
import type { SecurityContext } from '../../security/security-context';
import { changedPaths } from '../../domain/conflict/field-paths';
import { resolveUpdate, type FieldSource } from '../../domain/conflict/resolve-update';

/** What every record service works with: storage, the rights check, and the audit log. */
export interface RecordServiceDeps {
  store: IRecordStore;
  access: IAccessControl;
  audit: IAuditLog;
}

/** One change being made: who asks, what for, and where it sits in a workflow. */
interface Change {
  context: SecurityContext;
  action: string;
  options: WriteOptions;
}

/** The schemas that define one kind of record. */
interface RecordSchemas {
  /** What callers send to create a record. */
  create: z.ZodObject;
  /** A stored record. */
  record: z.ZodType;
}

/**
 * The create/read/update/delete logic of every kind, from its definition in the registry: validation at the
 * edge, versioning, template protection, references (checked on write, guarding deletes), derived fields, and
 * each change planned from a consistent view of the store and committed with its history and audit entry.
 */
export class RecordService<K extends RecordKind> implements RecordServiceOf<K> {
  private readonly store: IRecordStore;
  private readonly access: IAccessControl;
  private readonly audit: IAuditLog;
  private readonly schemas: RecordSchemas;

  constructor(
    private readonly kind: K,
    deps: RecordServiceDeps,
  ) {
    this.store = deps.store;
    this.access = deps.access;
    this.audit = deps.audit;
    const { createSchema, recordSchema } = kindOf(kind);
    this.schemas = { create: createSchema, record: recordSchema };
  }

  async create(input: InputOf<K>, options: WriteOptions = {}): Promise<RecordOf<K>> {
    const claimedId = (input as { id?: unknown } | null)?.id;
    return this.changing('create', typeof claimedId === 'string' ? claimedId : undefined, options, 'write', async (change) => {
      const body = parseInput(this.schemas.create, input, `${this.kind}`, this.context('create')) as { id?: string };
      const now = options.now ?? new Date().toISOString();
      const id = body.id ?? newId();
      const record = this.validateRecord({ ...body, id, isTemplate: false, version: 1, createdAt: now, updatedAt: now }, 'create');
      return this.store.transact(async (view) => {
        const existing = await view.get(this.kind, id);
        if (existing) throw new ConflictError(`${this.kind} '${id}' already exists`, existing, { context: this.context('create') });
        const prepared = await this.prepare(view, record, 'create');
        return this.planned(change, null, prepared, prepared);
      }, this.txOptions(options, change));
    });
  }

  async get(id: string, options: ReadOptions = {}): Promise<RecordOf<K> | null> {
    this.checkId(id, 'get');
    return this.store.get(this.kind, id, options);
  }

  async list(): Promise<RecordOf<K>[]> {
    return [...(await this.store.records(this.kind))];
  }

  async update(id: string, patch: PatchOf<K>, options: WriteOptions = {}): Promise<RecordOf<K>> {
    return (await this.updateResolved(id, patch, options)).record;
  }

  async updateResolved(id: string, patch: PatchOf<K>, options: WriteOptions = {}): Promise<ResolvedUpdate<RecordOf<K>>> {
    return this.changing('update', id, options, 'write', async (change) => {
      this.checkId(id, 'update');
      this.checkPatchShape(patch);
      return this.store.transact(async (view) => {
        const current = await this.findChangeable(view, id, {}, change);
        const { record: merged, fields } = await this.reconcile(view, current, patch as Record<string, unknown>, options);
        const { commit, result } = await this.replace(view, current, merged, change);
        return { commit, result: { record: result, fields } };
      }, this.txOptions(options, change));
    });
  }

  async history(id: string): Promise<RecordOf<K>[]> {
    this.checkId(id, 'history');
    return this.store.history(this.kind, id);
  }

  async restore(id: string, version: number, options: WriteOptions = {}): Promise<RecordOf<K>> {
    return this.changing('restore', id, options, 'write', async (change) => {
      this.checkId(id, 'restore');
      return this.store.transact(async (view) => {
        const current = await this.findChangeable(view, id, options, change);
        const earlier = (await view.history(this.kind, id)).find((r) => r.version === version);
        if (!earlier) throw new NotFoundError(`${this.kind} '${id}' version`, String(version), this.context('restore'));
        return this.replace(view, current, earlier as Record<string, unknown>, change);
      }, this.txOptions(options, change));
    });
  }

  /** Plans `body` as the record's next version, keeping the current one in its history. */
  private async replace(view: StoreReader, current: RecordOf<K>, body: Record<string, unknown>, change: Change): Promise<Planned<RecordOf<K>>> {
    const operation = change.action.slice(this.kind.length + 1);
    const updatedAt = change.options.now ?? new Date().toISOString();
    const meta = { id: current.id, isTemplate: current.isTemplate, createdAt: current.createdAt, version: current.version + 1, updatedAt };
    const next = await this.prepare(view, this.validateRecord({ ...body, ...meta }, operation), operation);
    const planned = this.planned(change, current, next, next);
    return { ...planned, commit: { ...planned.commit, history: [{ kind: this.kind, record: current }] } };
  }

  /**
   * Runs a change as `context` after checking its right; a change that fails is audited as failed (or denied),
   * one that succeeds is audited by `commit` before it is written.
   */
  private async changing<T>(operation: string, id: string | undefined, options: WriteOptions, right: Right, work: (change: Change) => Promise<T>): Promise<T> {
    const action = `${this.kind}.${operation}`;
    const step = options.workflowStep;
    const target = id === undefined ? undefined : { kind: this.kind, id: id.slice(0, 100) };
    const request = { action, ...(target ? { target } : {}), ...(step ? { workflowId: step.workflowId } : {}) };
    return guarded({ access: this.access, audit: this.audit }, options.context, right, request, (context) => work({ context, action, options }), { ...(target ? { target } : {}), ...(step ?? {}) });
  }

  /**
   * The commit that turns `before` into `after` (either null: a create or a delete), expecting the record at the
   * version it was read at, with its audit entry: a change that cannot be audited is not made.
   */
  private planned<T>(change: Change, before: RecordOf<K> | null, after: RecordOf<K> | null, result: T, outcome: AuditOutcome = 'ok'): Planned<T> {
    const record = (after ?? before)!;
    const audit = this.auditEvent(change, { kind: this.kind, id: record.id }, outcome, {
      versionBefore: before?.version ?? null,
      versionAfter: after?.version ?? null,
      digestBefore: digestOf(before),
      digestAfter: digestOf(after),
    });
    const expectedVersion = before?.version ?? null;
    const commit: Commit =
      after === null
        ? { removals: [{ kind: this.kind, id: record.id, expectedVersion: expectedVersion! }], audit: [audit] }
        : { puts: [{ kind: this.kind, record: after, expectedVersion }], audit: [audit] };
    return { commit, result };
  }

  private auditEvent(change: Change, target: { kind: string; id: string } | undefined, outcome: AuditOutcome, fields: Record<string, unknown>): AuditEvent {
    const { context, action, options } = change;
    const step = options.workflowStep;
    return {
      actor: context.actor,
      role: context.access,
      requestId: context.requestId,
      action,
      ...(target ? { target } : {}),
      ...fields,
      ...(step ? { workflowId: step.workflowId, stepId: step.stepId } : {}),
      outcome,
    };
  }

  /** The store needs the same context (it, too, refuses writes without one), and the workflow a step belongs to. */
  private txOptions(options: WriteOptions, change: Change): CommitOptions {
    const step = options.workflowStep;
    return { ...(options.signal ? { signal: options.signal } : {}), context: change.context, ...(step ? { workflowId: step.workflowId } : {}) };
  }

  /**
   * The patched record. A patch made against the current version applies as it is; one made against an older
   * `expectedVersion` is reconciled by the chosen strategy (default reject: CONFLICT naming the fields).
   */
  private async reconcile(view: StoreReader, current: RecordOf<K>, patch: Record<string, unknown>, options: WriteOptions): Promise<{ record: Record<string, unknown>; fields: FieldSource[] }> {
    if (options.expectedVersion === undefined || options.expectedVersion === current.version) {
      const record = mergePatch(current as Record<string, unknown>, patch);
      return { record, fields: [...changedPaths(current as Record<string, unknown>, record)].map((path) => ({ path, source: 'mine' as const })) };
    }
    const strategy = options.strategy ?? 'reject';
    const base = (await view.history(this.kind, current.id)).find((r) => r.version === options.expectedVersion) ?? null;
    const resolved = resolveUpdate({ base: base as Record<string, unknown> | null, current: current as Record<string, unknown>, patch, strategy, ...(options.rules ? { rules: options.rules } : {}) });
    if (resolved.ok) return resolved;
    const why = strategy === 'merge' && base === null ? ` (version ${options.expectedVersion} is no longer in the history to merge against)` : '';
    throw new ConflictError(
      `${this.kind} '${current.id}' is at version ${current.version}, not the expected ${options.expectedVersion}; conflicting fields: ${resolved.conflicts.join(', ') || '(none)'}${why}`,
      current,
      {
        details: resolved.conflicts.map((path) => ({ path, message: `changed since version ${options.expectedVersion}` })),
        context: { ...this.context('update'), id: current.id, expectedVersion: options.expectedVersion, currentVersion: current.version, strategy },
      },
    );
  }

  async delete(id: string, options: WriteOptions = {}): Promise<RecordOf<K>> {
    return this.changing('delete', id, options, 'write', async (change) => {
      this.checkId(id, 'delete');
      return this.store.transact(async (view) => {
        const current = await this.findChangeable(view, id, options, change);
        await this.checkNotInUse(view, current);
        return this.planned(change, current, null, current);
      }, this.txOptions(options, change));
    });
  }

  async seedTemplates(options: Pick<WriteOptions, 'context'>): Promise<number> {
    const { templates, createSchema, recordSchema } = kindOf(this.kind) as KindDefinition;
    const lacking = (items: readonly { id: string }[]) => {
      const present = new Set(items.map((r) => r.id));
      return templates.filter((t) => !present.has(t.id));
    };
    if (lacking(await this.list()).length === 0) return 0;
    return this.changing('seed-template', undefined, options, 'write', (change) =>
      this.store.transact(async (view) => {
        const now = new Date().toISOString();
        const missing = lacking(await view.records(this.kind)).map((t) => recordSchema.parse({ ...(createSchema.parse(t) as object), isTemplate: true, version: 1, createdAt: now, updatedAt: now }) as RecordOf<K>);
        const commit: Commit = {
          puts: missing.map((record) => ({ kind: this.kind, record, expectedVersion: null })),
          audit: missing.map((record) => this.auditEvent(change, { kind: this.kind, id: record.id }, 'ok', { versionBefore: null, versionAfter: record.version, digestBefore: null, digestAfter: digestOf(record) })),
        };
        return { commit, result: missing.length };
      }, this.txOptions({}, change)),
    );
  }

  async revert(undo: RecordChange<RecordOf<K>>, options: Pick<WriteOptions, 'signal' | 'context' | 'workflowStep'> = {}): Promise<RevertOutcome> {
    return this.changing('revert', undo.id, options, 'write', (change) => this.revertAs(undo, change));
  }

  private async revertAs(change: RecordChange<RecordOf<K>>, audited: Change): Promise<RevertOutcome> {
    this.checkId(change.id, 'revert');
    return this.store.transact<RevertOutcome>(async (view) => {
      const current = await view.get(this.kind, change.id);
      if (isDeepStrictEqual(current, change.before)) return { commit: {}, result: 'already-reverted' };
      const { after } = change;
      const isOurChange =
        after === null
          ? current === null
          : after.record !== undefined
            ? isDeepStrictEqual(current, after.record)
            : current?.version === after.version && current.updatedAt === after.updatedAt;
      if (!isOurChange) {
        throw new ConflictError(`${this.kind} '${change.id}' was changed by someone else since; it was left as it is`, current, {
          context: { ...this.context('revert'), id: change.id },
        });
      }
      // References are not re-checked: the state restored is the one that held before the change.
      return this.planned(audited, current, change.before, 'reverted' as const, 'compensated');
    }, this.txOptions(audited.options, audited));
  }

  /**
   * Last step before a write: refuses references that would dangle (read in the same transaction as the write,
   * as deletes check for users, so none can vanish meanwhile), and stamps what the kind derives from the records
   * referenced.
   */
  private async prepare(view: StoreReader, record: RecordOf<K>, operation: string): Promise<RecordOf<K>> {
    const kind = kindOf(this.kind) as KindDefinition<RecordOf<K>>;
    const referenced: Record<string, unknown> = {};
    const missing: ErrorDetail[] = [];
    for (const { field, to } of kind.references) {
      const id = (record as Record<string, unknown>)[field];
      if (typeof id !== 'string') continue; // an optional reference left out
      const target = await view.get(to as RecordKind, id);
      if (target) referenced[field] = target;
      else missing.push({ path: field, message: `${to} '${id}' does not exist` });
    }
    if (missing.length > 0) {
      throw new ReferenceIntegrityError(`${this.kind} '${record.id}' has dangling references: ${missing.map((d) => d.message).join('; ')}`, missing, {
        context: this.context(operation),
      });
    }
    const problems = kind.referenceProblems?.(record, referenced) ?? [];
    if (problems.length > 0) {
      throw new ReferenceIntegrityError(`${this.kind} '${record.id}': ${problems.map((d) => d.message).join('; ')}`, problems, { context: this.context(operation) });
    }
    return kind.derive ? kind.derive(record, referenced) : record;
  }

  /** Refuses to delete a record that records of any kind still reference, naming them. */
  private async checkNotInUse(view: StoreReader, record: RecordOf<K>): Promise<void> {
    for (const { kind, field } of referencesTo(this.kind)) {
      const users = (await view.records(kind)).filter((r) => (r as Record<string, unknown>)[field] === record.id).map((r) => r.id);
      if (users.length === 0) continue;
      throw new ReferenceIntegrityError(
        `${this.kind} '${record.id}' is used by ${kind}${users.length > 1 ? 's' : ''} ${users.join(', ')}; delete or change them first`,
        users.map((userId) => ({ path: `${KINDS[kind].plural}.${userId}.${field}`, message: `${kind} '${userId}' uses ${this.kind} '${record.id}'` })),
        { context: { service: this.kind, operation: 'delete', id: record.id, usedBy: users.map((id) => ({ kind, id })) } },
      );
    }
  }

  private context(operation: string): { service: string; operation: string } {
    return { service: this.kind, operation };
  }

  private validateRecord(candidate: unknown, operation: string): RecordOf<K> {
    return parseInput(this.schemas.record, candidate, this.kind, this.context(operation)) as RecordOf<K>;
  }

  private checkId(id: string, operation: string): void {
    parseInput(idSchema, id, `${this.kind} id`, this.context(operation));
  }

  /** A patch may name only body fields; their values are checked on the merged record. */
  private checkPatchShape(patch: unknown): void {
    const context = this.context('update');
    if (!isPlainObject(patch)) throw new ValidationError(`invalid ${this.kind} patch: must be a JSON object`, [{ path: '', message: 'must be a JSON object' }], { context });
    const forbidden = findForbiddenKeys(patch);
    const allowed = new Set(Object.keys(this.schemas.create.shape).filter((key) => key !== 'id'));
    const unknown = Object.keys(patch)
      .filter((key) => !allowed.has(key) && !forbidden.some((f) => f.path === key))
      .map((key) => ({ path: printable(key), message: key === 'id' ? 'the id cannot be changed' : `unknown field '${printable(key)}'` }));
    const details = [...forbidden, ...unknown];
    if (details.length > 0) throw new ValidationError(`invalid ${this.kind} patch: ${details.map((d) => d.path).join(', ')}`, details, { context });
  }

  /** The record to change; templates are for admins to change and for nobody to delete. */
  private async findChangeable(view: StoreReader, id: string, guard: WriteOptions, change: Change): Promise<RecordOf<K>> {
    const operation = change.action.slice(this.kind.length + 1);
    const context = this.context(operation);
    const current = await view.get(this.kind, id);
    if (!current) throw new NotFoundError(this.kind, id, context);
    if (current.isTemplate && operation === 'delete') throw new ForbiddenError(`${this.kind} '${id}' is a template and cannot be deleted`, { context: { ...context, id } });
    if (current.isTemplate && !hasRight(change.context.access, 'manage-templates')) {
      await this.access.deny(change.context, 'manage-templates', { action: change.action, target: { kind: this.kind, id } }, `${this.kind} '${id}' is a template; changing templates needs the right 'manage-templates' (admin)`);
    }
    if (guard.expectedVersion !== undefined && guard.expectedVersion !== current.version) {
      throw new ConflictError(
        `${this.kind} '${id}' is at version ${current.version}, not the expected ${guard.expectedVersion}`,
        current,
        { context: { ...context, id, expectedVersion: guard.expectedVersion, currentVersion: current.version } },
      );
    }
    return current;
  }
}
