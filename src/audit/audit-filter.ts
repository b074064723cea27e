import { z } from 'zod';
import type { AuditEntry } from './audit-entry';
import type { AuditFilter } from './audit-log';

/** What `audit list` accepts to filter by; checked at the edge like every other input. */
export const auditFilterSchema = z
  .object({
    actor: z.string().min(1).max(200).optional(),
    since: z.iso.datetime({ offset: true, message: 'must be an ISO 8601 time, e.g. 2026-11-24T10:00:00Z' }).or(z.iso.date({ message: 'must be an ISO 8601 date or time' })).optional(),
    target: z.string().min(1).max(200).optional(),
  })
  .strict();

/** Whether an entry is one `list(filter)` returns. */
export function matchesAuditFilter(entry: AuditEntry, filter: AuditFilter): boolean {
  if (filter.actor !== undefined && entry.actor !== filter.actor) return false;
  if (filter.since !== undefined && Date.parse(entry.at) < Date.parse(filter.since)) return false;
  if (filter.target !== undefined) {
    const target = entry.target ? `${entry.target.kind}:${entry.target.id}` : '';
    if (target !== filter.target && entry.target?.id !== filter.target && entry.workflowId !== filter.target) return false;
  }
  return true;
}
