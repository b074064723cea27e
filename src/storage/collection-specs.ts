import type { z } from 'zod';
import { agentSchema } from '../domain/agent/agent';
import { personalitySchema } from '../domain/personality/personality';
import type { RecordKind } from '../domain/record';
import { roleSchema } from '../domain/role/role';

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

/** The collection files of a data folder, one per kind. */
export const COLLECTION_SPECS: Readonly<Record<RecordKind, CollectionSpec>> = {
  personality: { kind: 'personality', fileName: 'personalities.json', itemsKey: 'personalities', schema: personalitySchema },
  role: { kind: 'role', fileName: 'roles.json', itemsKey: 'roles', schema: roleSchema },
  agent: { kind: 'agent', fileName: 'agents.json', itemsKey: 'agents', schema: agentSchema },
};

/** Version of the collection file format. */
export const SCHEMA_VERSION = 1;
