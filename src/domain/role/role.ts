import { z } from 'zod';
import { idSchema } from '../ids';
import type { MergePatch } from '../merge-patch';
import { extensionsSchema, recordMetaShape, requiredText, text } from '../record';

/** Caps on free text: generous, but bounded. */
export const ROLE_LIMITS = { name: 100, description: 2000, systemPrompt: 32 * 1024, focusArea: 200, focusAreas: 50 } as const;

const bodyShape = {
  name: requiredText(ROLE_LIMITS.name),
  description: text(ROLE_LIMITS.description),
  systemPrompt: requiredText(ROLE_LIMITS.systemPrompt),
  focusAreas: z.array(requiredText(ROLE_LIMITS.focusArea)).max(ROLE_LIMITS.focusAreas),
  extensions: extensionsSchema.optional(),
};

/** What a caller sends to create a role (id optional; description and focusAreas default to empty). */
export const roleCreateSchema = z.strictObject({
  id: idSchema.optional(),
  ...bodyShape,
  description: bodyShape.description.default(''),
  focusAreas: bodyShape.focusAreas.default([]),
});

/** A stored role. */
export const roleSchema = z.strictObject({ ...recordMetaShape, ...bodyShape });

/** A stored role. */
export type Role = z.infer<typeof roleSchema>;
/** Input to create a role. */
export type RoleInput = z.input<typeof roleCreateSchema>;
/** A partial change to a role: a merge patch of its body. */
export type RolePatch = MergePatch<Omit<RoleInput, 'id'>>;
