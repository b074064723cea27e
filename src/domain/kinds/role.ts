import { roleCreateSchema, roleSchema, type Role } from '../role/role';
import { ROLE_TEMPLATES } from '../templates/role-templates';
import type { KindDefinition } from './kind';

/** Roles: a system prompt and focus areas; agents use them. */
export const roleKind = {
  name: 'role',
  plural: 'roles',
  createSchema: roleCreateSchema,
  recordSchema: roleSchema,
  references: [],
  templates: ROLE_TEMPLATES,
  fileName: 'roles.json',
  columns: { headers: ['FOCUS AREAS'], cells: (role: Role) => [role.focusAreas.join(', ')] },
} as const satisfies KindDefinition<Role>;
