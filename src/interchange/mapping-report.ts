import type { RecordKind } from '../domain/record';

/** One source field and where it went: a field of the record, or its extensions (kept as given). */
export interface FieldMapping {
  from: string;
  to: string;
}

/** What became of one record of a source: which fields mapped where, which were kept aside, which were dropped and why. */
export interface MappedRecord {
  kind: RecordKind;
  /** The record's id in agentcfg. */
  id: string;
  /** Its id in the source, when that differs (an id agentcfg cannot take as it is). */
  sourceId?: string;
  mapped: FieldMapping[];
  /** Source fields kept in the record's `extensions`, for an export to give back. */
  kept: string[];
  dropped: { field: string; why: string }[];
  /** Values agentcfg needs that the source does not give, and what was used. */
  defaulted: { field: string; value: unknown; why: string }[];
}

/** The mapping report of an import: what each record of the source becomes. */
export interface MappingReport {
  format: string;
  source: string;
  records: MappedRecord[];
}
