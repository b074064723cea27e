import type { AccessLevel } from './security-context';

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
  | 'read-audit'
  /** Create, list and revoke access tokens. */
  | 'manage-tokens';

const VIEWER: readonly Right[] = ['read'];
const EDITOR: readonly Right[] = [...VIEWER, 'write', 'run-workflow'];
const ADMIN: readonly Right[] = [...EDITOR, 'manage-templates', 'manage-workflows', 'repair', 'read-audit', 'manage-tokens'];

const RIGHTS: Readonly<Record<AccessLevel, ReadonlySet<Right>>> = {
  viewer: new Set(VIEWER),
  editor: new Set(EDITOR),
  admin: new Set(ADMIN),
};

/** Whether an access level holds a right. */
export function hasRight(access: AccessLevel, right: Right): boolean {
  return RIGHTS[access].has(right);
}

/** The least access level that holds a right, for messages. */
export function leastLevelWith(right: Right): AccessLevel {
  return hasRight('viewer', right) ? 'viewer' : hasRight('editor', right) ? 'editor' : 'admin';
}
