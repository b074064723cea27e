import type { z } from 'zod';

/**
 * A field of one kind's record that names a record of another kind. Deleting a referenced record is refused
 * (REFERENCE_ERROR naming the records that use it) while any does; an optional reference that dangles anyway
 * (a hand edit, say) is cleared by `repair --prune-dangling`, a required one has its record removed.
 */
export interface Reference {
  field: string;
  to: string;
  optional?: boolean;
}

/** How the command line lists records of a kind: its own columns after ID and NAME. */
export interface KindColumns<TRecord> {
  headers: readonly string[];
  cells(record: TRecord): string[];
}

/**
 * Everything agentcfg knows about one kind of record. Every place that lists kinds (storage, workflows, bundles,
 * verify, the command line, the library) derives what it needs from the registry of these.
 */
export interface KindDefinition<TRecord = unknown> {
  /** The kind's name: `personality`, the `service` of a workflow step and the CLI's command group. */
  name: string;
  /** Its plural: the key of its records in a bundle and in its collection file. */
  plural: string;
  /** What a caller sends to create one (id optional). */
  createSchema: z.ZodObject;
  /** A stored record. */
  recordSchema: z.ZodType<TRecord>;
  /** Fields naming records of other kinds. */
  references: readonly Reference[];
  /** Records shipped with agentcfg, seeded into every data folder; they cannot be deleted. */
  templates: readonly ({ id: string } & Record<string, unknown>)[];
  /** The collection file under `config/` (a table, for a database store). */
  fileName: string;
  /** Whether `delete --cascade` removes the records that use one first. */
  cascadeDelete?: boolean;
  /** How the command line lists it. */
  columns: KindColumns<TRecord>;
  /**
   * Fields the service derives on every write from the referenced records (by reference field), such as an
   * agent's resolution; verify reports a stored value that no longer matches.
   */
  derive?(record: TRecord, referenced: Readonly<Record<string, unknown>>): TRecord;
  /**
   * What the records it references do not allow, beyond existing (an agent's provider against its connection's):
   * refused on write as REFERENCE_ERROR, each problem naming the reference field.
   */
  referenceProblems?(record: TRecord, referenced: Readonly<Record<string, unknown>>): { path: string; message: string }[];
  /**
   * Why the fields `derive` stamped on a stored record no longer match the records it references (null while
   * they do): verify reports it as STALE_RESOLUTION, repair stamps it again.
   */
  staleness?(record: TRecord, referenced: Readonly<Record<string, unknown>>): string | null;
  /** Warnings about a valid record worth telling a person (an unknown model, say). */
  warnings?(record: TRecord): string[];
}
