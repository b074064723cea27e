import type { KindDefinition } from '../domain/kinds/kind';
import { KINDS, referencesTo, type RecordKind } from '../domain/kinds/registry';
import type { RecordCommandSpec, RecordOperations, StoredRecord } from './record-commands';

/** How the command line shows and reaches one kind of record, from its definition in the registry. */
export function recordCommandSpec(kind: RecordKind): RecordCommandSpec {
  const definition = KINDS[kind] as KindDefinition<StoredRecord>;
  return {
    kind,
    ...(definition.cascadeDelete ? { cascade: [...new Set(referencesTo(kind).map((r) => KINDS[r.kind].plural))] } : {}),
    // The service's typed inputs are validated at run time; the CLI passes parsed JSON straight through.
    operations: (configuration) => configuration.records(kind) as unknown as RecordOperations,
    ...(definition.warnings ? { warnings: definition.warnings } : {}),
    columns: definition.columns,
  };
}
