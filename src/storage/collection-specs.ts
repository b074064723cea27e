import type { z } from 'zod';
import { everyKind, KINDS, type EveryKind, type RecordKind } from '../domain/kinds/registry';

/** Where and how one kind of record is stored. */
export interface CollectionSpec {
  kind: RecordKind;
  /** File name under `config/`. */
  fileName: string;
  /** The key that holds the records inside the file. */
  itemsKey: string;
  /** Schema every stored record must pass. */
  schema: z.ZodType;
}

/** The collection files of a data folder, one per kind of the registry. */
export const COLLECTION_SPECS: EveryKind<CollectionSpec> = everyKind((kind) => ({
  kind,
  fileName: KINDS[kind].fileName,
  itemsKey: KINDS[kind].plural,
  schema: KINDS[kind].recordSchema,
}));

/** Version of the collection file format. */
export const SCHEMA_VERSION = 1;
