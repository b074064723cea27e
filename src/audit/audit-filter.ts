import { z } from 'zod';

/** What `audit list` accepts to filter by; checked at the edge like every other input. */
export const auditFilterSchema = z
  .object({
    actor: z.string().min(1).max(200).optional(),
    since: z.iso.datetime({ offset: true, message: 'must be an ISO 8601 time, e.g. 2026-11-24T10:00:00Z' }).or(z.iso.date({ message: 'must be an ISO 8601 date or time' })).optional(),
    target: z.string().min(1).max(200).optional(),
  })
  .strict();
