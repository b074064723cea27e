import { personalitySchema } from '../../domain/personality/personality';
import { roleCreateSchema, roleSchema } from '../../domain/role/role';
import { personalityCreateSchema } from '../../domain/personality/personality';
import { PERSONALITY_TEMPLATES } from '../../domain/templates/personality-templates';
import { ROLE_TEMPLATES } from '../../domain/templates/role-templates';
import type { FileTransaction, IFileService } from '../file/file-service';
import type { z } from 'zod';
import { digestOf } from '../../audit/audit-entry';
import type { IAuditLog } from '../../audit/audit-log';
import type { SecurityContext } from '../../security/security-context';

async function seed(
  tx: FileTransaction,
  audit: IAuditLog,
  context: SecurityContext,
  kind: 'personality' | 'role',
  templates: readonly { id: string }[],
  createSchema: z.ZodType,
  recordSchema: z.ZodType,
): Promise<number> {
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

/** Adds the shipped template personalities and roles that a data folder lacks; writes nothing when none is missing. */
export async function seedTemplates(files: IFileService, audit: IAuditLog, context: SecurityContext): Promise<{ personalities: number; roles: number }> {
  // Checked without the lock first: a seeded folder (the usual case) is not written, so reads work on a full disk.
  const lacks = async (kind: 'personality' | 'role', templates: readonly { id: string }[]) => {
    const present = new Set((await files.read(kind)).items.map((r) => r.id));
    return templates.some((t) => !present.has(t.id));
  };
  if (!(await lacks('personality', PERSONALITY_TEMPLATES)) && !(await lacks('role', ROLE_TEMPLATES))) return { personalities: 0, roles: 0 };
  return files.transaction(
    async (tx) => ({
      personalities: await seed(tx, audit, context, 'personality', PERSONALITY_TEMPLATES, personalityCreateSchema, personalitySchema),
      roles: await seed(tx, audit, context, 'role', ROLE_TEMPLATES, roleCreateSchema, roleSchema),
    }),
    { context },
  );
}
