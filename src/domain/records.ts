import type { RecordByKind, RecordKind } from './kinds/registry';

/** The stored record type of each kind. */
export type { RecordByKind } from './kinds/registry';

/** The stored record type of kind K. */
export type RecordOf<K extends RecordKind> = RecordByKind[K];

/** Any stored record. */
export type AnyRecord = RecordByKind[RecordKind];
