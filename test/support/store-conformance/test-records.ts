import { KINDS } from '../../../src/domain/kinds/registry';
import { PERSONALITY_TRAITS, type Personality } from '../../../src/domain/personality/personality';
import type { Role } from '../../../src/domain/role/role';
import type { AuditEvent } from '../../../src/audit/audit-entry';

/** A stamp that grows with the version, so every version of a record differs. */
function stamp(version: number): string {
  return new Date(Date.UTC(2026, 0, 1) + version * 1000).toISOString();
}

/** A valid stored personality at `version`, carrying `note` as its custom instructions. */
export function personalityAt(id: string, version: number, note = ''): Personality {
  const traits = Object.fromEntries(PERSONALITY_TRAITS.map((trait, i) => [trait, (i * 7 + version) % 101]));
  const body = KINDS.personality.createSchema.parse({ name: `Personality ${id}`, ...traits, ...(note ? { customInstructions: note } : {}) });
  return KINDS.personality.recordSchema.parse({ ...body, id, isTemplate: false, version, createdAt: stamp(1), updatedAt: stamp(version) });
}

/** A valid stored role at `version`. */
export function roleAt(id: string, version: number): Role {
  const body = KINDS.role.createSchema.parse({ name: `Role ${id}`, systemPrompt: `You are role ${id}, version ${version}.` });
  return KINDS.role.recordSchema.parse({ ...body, id, isTemplate: false, version, createdAt: stamp(1), updatedAt: stamp(version) });
}

/** The audit event of a test change. */
export function auditOf(actor: string, action: string, target: { kind: string; id: string }, versionBefore: number | null, versionAfter: number | null): AuditEvent {
  return { actor, role: 'admin', requestId: null, action, target, versionBefore, versionAfter, outcome: 'ok' };
}
