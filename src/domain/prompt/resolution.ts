import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { Personality } from '../personality/personality';
import type { Role } from '../role/role';
import { composeSystemPrompt } from './effective-system-prompt';

/** What an agent's effective configuration was built from, so a change to either source can be detected. */
export const resolutionSchema = z.strictObject({
  personalityVersion: z.number().int().positive(),
  roleVersion: z.number().int().positive(),
  hash: z.string().regex(/^sha256:[0-9a-f]{64}$/),
});

/** The versions and prompt hash an agent was resolved from. */
export type Resolution = z.infer<typeof resolutionSchema>;

/** The resolution of an agent built from this personality and role. */
export function resolutionOf(personality: Personality, role: Role): Resolution {
  const hash = `sha256:${createHash('sha256').update(composeSystemPrompt(role, personality)).digest('hex')}`;
  return { personalityVersion: personality.version, roleVersion: role.version, hash };
}
