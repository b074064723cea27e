import { personalitySchema } from '../../domain/personality/personality';
import { roleCreateSchema, roleSchema } from '../../domain/role/role';
import { personalityCreateSchema } from '../../domain/personality/personality';
import { PERSONALITY_TEMPLATES } from '../../domain/templates/personality-templates';
import { ROLE_TEMPLATES } from '../../domain/templates/role-templates';
import type { FileTransaction, IFileService } from '../file/file-service';
import type { z } from 'zod';

async function seed(
  tx: FileTransaction,
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
  if (missing.length > 0) await tx.write(kind, [...items, ...missing] as never[]);
  return missing.length;
}

/** Adds the shipped template personalities and roles that a data folder lacks; writes nothing when none is missing. */
export async function seedTemplates(files: IFileService): Promise<{ personalities: number; roles: number }> {
  return files.transaction(async (tx) => ({
    personalities: await seed(tx, 'personality', PERSONALITY_TEMPLATES, personalityCreateSchema, personalitySchema),
    roles: await seed(tx, 'role', ROLE_TEMPLATES, roleCreateSchema, roleSchema),
  }));
}
