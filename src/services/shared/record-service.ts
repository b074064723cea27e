import type { ConflictStrategy, FieldRule, FieldSource } from '../../domain/conflict/resolve-update';
import type { SecurityContext } from '../../security/security-context';

/** Options of a change: who makes it, a version guard, a cancellation signal, and the time to stamp. */
export interface WriteOptions {
  /** Who makes the change; required: a change without a context ConfigurationService issued is FORBIDDEN. */
  context?: SecurityContext;
  /** The workflow step making the change, for the audit log. */
  workflowStep?: { workflowId: string; stepId: string };
  /** Refuse with CONFLICT unless the record is at this version. */
  expectedVersion?: number;
  /** Abandon the change (writing nothing) if this is aborted before the write. */
  signal?: AbortSignal;
  /** The timestamp to record (a workflow plans it ahead so it can recognise its own write later). */
  now?: string;
  /** How an update against an older `expectedVersion` is reconciled (default: reject). */
  strategy?: ConflictStrategy;
  /** Per-field rules for `merge`, by dotted path: max, min, mine, theirs. */
  rules?: Readonly<Record<string, FieldRule>>;
}

/** An update's result, with where each changed field came from. */
export interface ResolvedUpdate<TRecord> {
  record: TRecord;
  fields: FieldSource[];
}

/** Options of a change that must apply to a known version. */
export type VersionGuard = Pick<WriteOptions, 'expectedVersion'>;

/**
 * A change a workflow made to one record, enough to undo it: the record before, and how the record looks
 * right after the change (absent; or the whole record when the step reported it, else its version and
 * updatedAt), so the undo can tell whether the change happened at all and whether anyone changed it since.
 */
export interface RecordChange<TRecord> {
  id: string;
  before: TRecord | null;
  after: { version: number; updatedAt: string; record?: TRecord } | null;
}

/** What an undo found and did. */
export type RevertOutcome = 'reverted' | 'already-reverted';

/**
 * Create, read, update and delete for one kind of record. Every change needs `options.context` (issued by
 * ConfigurationService) holding the right to make it, and is audited; reads need no right beyond reading.
 */
export interface IRecordService<TRecord, TInput, TPatch> {
  /** Validates and stores a new record (id generated when absent); CONFLICT if the id is taken. */
  create(input: TInput, options?: WriteOptions): Promise<TRecord>;
  /** The record, or null when there is none with this id; as `workflowId`'s run sees it, when its store runs it as one transaction. */
  get(id: string, options?: { workflowId?: string }): Promise<TRecord | null>;
  /** Every record of this kind, templates included. */
  list(): Promise<TRecord[]>;
  /** Applies a patch, validates the whole result, bumps version and updatedAt. */
  update(id: string, patch: TPatch, options?: WriteOptions): Promise<TRecord>;
  /** As `update`, also saying which fields came from this patch and which from writes made since its base. */
  updateResolved(id: string, patch: TPatch, options?: WriteOptions): Promise<ResolvedUpdate<TRecord>>;
  /** Previous versions of a record, oldest first (the last 20). */
  history(id: string): Promise<TRecord[]>;
  /** Makes a previous version current again, as a new version. */
  restore(id: string, version: number, options?: WriteOptions): Promise<TRecord>;
  /** Removes a record; refused for templates and for records other records still use. */
  delete(id: string, options?: WriteOptions): Promise<TRecord>;
  /**
   * Puts a record back exactly as it was before a change (fields, version, timestamps). Idempotent: a change
   * that never happened, or was already undone, is left alone. CONFLICT if the record changed since.
   */
  revert(change: RecordChange<TRecord>, options?: Pick<WriteOptions, 'signal' | 'context' | 'workflowStep'>): Promise<RevertOutcome>;
  /**
   * Adds the kind's templates that the store lacks, each audited as `<kind>.seed-template`; says how many. Writes
   * nothing (and starts no transaction) when none is missing, so start-up on a seeded folder needs nothing writable.
   */
  seedTemplates(options: Pick<WriteOptions, 'context'>): Promise<number>;
}
