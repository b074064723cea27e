import { KINDS, RECORD_KINDS, type RecordKind } from '../../domain/kinds/registry';
import type { SecurityContext } from '../../security/security-context';
import type { IRecordServices } from '../shared/record-services';

/** Adds, through each kind's record service, the templates a data folder lacks; writes nothing when none is missing. */
export async function seedTemplates(records: IRecordServices, context: SecurityContext): Promise<Partial<Record<RecordKind, number>>> {
  const seeded: Partial<Record<RecordKind, number>> = {};
  for (const kind of RECORD_KINDS) {
    if (KINDS[kind].templates.length > 0) seeded[kind] = await records[kind].seedTemplates({ context });
  }
  return seeded;
}
