import { KINDS, RECORD_KINDS, type RecordKind } from '../../domain/kinds/registry';
import type { KindDefinition } from '../../domain/kinds/kind';
import type { FileTransaction, IFileService } from '../file/file-service';
import { digestOf } from '../../audit/audit-entry';
import type { IAuditLog } from '../../audit/audit-log';
import type { SecurityContext } from '../../security/security-context';

async function seed(
  tx: FileTransaction,
  audit: IAuditLog,
  context: SecurityContext,
  kind: RecordKind,
): Promise<number> {
  const { templates, createSchema, recordSchema } = KINDS[kind] as KindDefinition;
  const { items } = await tx.read(kind);
  const present = new Set(items.map((r) => r.id));
  const now = new Date().toISOString();
  const missing = templates
    .filter((t) => !present.has(t.id))
    .map((t) => recordSchema.parse({ ...(createSchema.parse(t) as object), isTemplate: true, version: 1, createdAt: now, updatedAt: now }));
  for (const record of missing as { id: string; version: number }[]) {
    const { actor, role, requestId } = context;
    await audit.append({ actor, role, requestId, action: `${kind}.seed-template`, target: { kind, id: record.id }, versionBefore: null, versionAfter: record.version, digestBefore: null, digestAfter: digestOf(record), outcome: 'ok' });
  }
  if (missing.length > 0) await tx.write(kind, [...items, ...missing] as never[]);
  return missing.length;
}

/** Adds the templates of every kind that a data folder lacks; writes nothing when none is missing. */
export async function seedTemplates(files: IFileService, audit: IAuditLog, context: SecurityContext): Promise<Partial<Record<RecordKind, number>>> {
  const withTemplates = RECORD_KINDS.filter((kind) => KINDS[kind].templates.length > 0);
  // Checked without the lock first: a seeded folder (the usual case) is not written, so reads work on a full disk.
  const lacks = async (kind: RecordKind) => {
    const present = new Set((await files.read(kind)).items.map((r) => r.id));
    return KINDS[kind].templates.some((t: { id: string }) => !present.has(t.id));
  };
  const lacking: RecordKind[] = [];
  for (const kind of withTemplates) if (await lacks(kind)) lacking.push(kind);
  if (lacking.length === 0) return {};
  return files.transaction(async (tx) => {
    const seeded: Partial<Record<RecordKind, number>> = {};
    for (const kind of withTemplates) seeded[kind] = await seed(tx, audit, context, kind);
    return seeded;
  }, { context });
}
