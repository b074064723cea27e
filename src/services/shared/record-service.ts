/** Options for a change that must apply to a known version. */
export interface VersionGuard {
  /** Refuse with CONFLICT unless the record is at this version. */
  expectedVersion?: number;
}

/** Create, read, update and delete for one kind of record. */
export interface IRecordService<TRecord, TInput, TPatch> {
  /** Validates and stores a new record (id generated when absent); CONFLICT if the id is taken. */
  create(input: TInput): Promise<TRecord>;
  /** The record, or null when there is none with this id. */
  get(id: string): Promise<TRecord | null>;
  /** Every record of this kind, templates included. */
  list(): Promise<TRecord[]>;
  /** Applies a patch, validates the whole result, bumps version and updatedAt. */
  update(id: string, patch: TPatch, guard?: VersionGuard): Promise<TRecord>;
  /** Removes a record; refused for templates and for records other records still use. */
  delete(id: string, guard?: VersionGuard): Promise<TRecord>;
}
