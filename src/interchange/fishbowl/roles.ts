import { z } from 'zod';
import { definedFields, extraFields, fishbowlId, fishbowlRequiredText, fishbowlText, isoDateTime, recordList, recordTimestamp, schemaVersion, unlessNull } from './schema-parts';

const roleSchema = z.looseObject({
  id: fishbowlId,
  name: fishbowlRequiredText(100),
  description: fishbowlText(500),
  systemPrompt: fishbowlRequiredText(5000),
  createdAt: recordTimestamp,
  updatedAt: recordTimestamp,
});

/** roles.json as Fishbowl writes it. */
export const rolesFileSchema = z.looseObject({
  schemaVersion,
  roles: recordList(roleSchema),
  lastUpdated: isoDateTime.optional(),
});

const KNOWN = ['id', 'name', 'description', 'systemPrompt', 'createdAt', 'updatedAt'];

/** One Fishbowl role. */
export interface FishbowlRole {
  id: string;
  name: string;
  /** May be empty. */
  description: string;
  systemPrompt: string;
  createdAt?: string;
  updatedAt?: string;
  extra: Record<string, unknown>;
}

/** A validated role, typed. */
export function normaliseRole(role: z.output<typeof roleSchema>): FishbowlRole {
  return definedFields({
    id: role.id,
    name: role.name,
    description: role.description,
    systemPrompt: role.systemPrompt,
    createdAt: unlessNull(role.createdAt),
    updatedAt: unlessNull(role.updatedAt),
    extra: extraFields(role, KNOWN),
  });
}
