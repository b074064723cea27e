import type { SecurityRole } from './security-context';

/** The rights a call may need; a denial names the one that was missing. */
export type Right =
  /** Read records, resolve agents, verify. */
  | 'read'
  /** Create, update, restore and delete records that are not templates. */
  | 'write'
  /** Run workflows (the caller owns them). */
  | 'run-workflow'
  /** Change templates. */
  | 'manage-templates'
  /** Show and recover workflows of other actors. */
  | 'manage-workflows'
  /** Repair the data folder. */
  | 'repair'
  /** Read the audit log. */
  | 'read-audit';

const VIEWER: readonly Right[] = ['read'];
const EDITOR: readonly Right[] = [...VIEWER, 'write', 'run-workflow'];
const ADMIN: readonly Right[] = [...EDITOR, 'manage-templates', 'manage-workflows', 'repair', 'read-audit'];

const RIGHTS: Readonly<Record<SecurityRole, ReadonlySet<Right>>> = {
  viewer: new Set(VIEWER),
  editor: new Set(EDITOR),
  admin: new Set(ADMIN),
};

/** Whether a role holds a right. */
export function hasRight(role: SecurityRole, right: Right): boolean {
  return RIGHTS[role].has(right);
}

/** The least role that holds a right, for messages. */
export function leastRoleWith(right: Right): SecurityRole {
  return hasRight('viewer', right) ? 'viewer' : hasRight('editor', right) ? 'editor' : 'admin';
}
