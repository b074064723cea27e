import type { z } from 'zod';
import type { KINDS, RecordKind } from '../../domain/kinds/registry';
import type { MergePatch } from '../../domain/merge-patch';
import type { RecordOf } from '../../domain/records';
import type { IRecordService } from './record-service';

/** What a caller sends to create a record of kind K. */
export type InputOf<K extends RecordKind> = z.input<(typeof KINDS)[K]['createSchema']>;
/** A partial change to a record of kind K: a merge patch of its body. */
export type PatchOf<K extends RecordKind> = MergePatch<Omit<InputOf<K>, 'id'>>;
/** The record service of kind K. */
export type RecordServiceOf<K extends RecordKind> = IRecordService<RecordOf<K>, InputOf<K>, PatchOf<K>>;

/** The record service of every kind of the registry. */
export type IRecordServices = { readonly [K in RecordKind]: RecordServiceOf<K> };

/** Injection token for the record services, one per kind. */
export const IRecordServices = Symbol.for('agentcfg.IRecordServices');

/** Injection token for the record service of one kind (`agentcfg.IPersonalityService`, ...): a test may rebind one. */
export function recordServiceToken(kind: RecordKind): symbol {
  return Symbol.for(`agentcfg.I${kind[0]?.toUpperCase()}${kind.slice(1)}Service`);
}
