import { AgentcfgError } from '../domain/errors/agentcfg-error';
import { ErrorCode } from '../domain/errors/error-code';
import { ConflictError } from '../domain/errors/errors';
import { RECORD_KINDS } from '../domain/kinds/registry';
import type { AuditEvent } from '../audit/audit-entry';
import type { SecurityContext } from '../security/security-context';
import type { Commit, HistoryKeep, IRecordStore, RecordPut } from './record-store';

/** What a copy moved. */
export interface CopyReport {
  from: string;
  to: string;
  records: Record<string, number>;
  historyVersions: number;
  auditEntries: number;
  /** The hash the source's audit trail ended with, which the copy's last audit entry names. */
  sourceAuditHead: string | null;
}

/**
 * Copies every record, its history and the audit trail from one store into another that holds none of those
 * records yet, in one commit: all of it or, when anything is refused, none. The audit entries are chained anew
 * after the target's (their hashes are the target's chain's), each keeping its actor, action and target, and a
 * last entry names the source and the hash its trail ended with, so the two trails stay linked. Workflow journals
 * are not copied; a source with a workflow that has not ended is refused, so nothing half-made moves.
 */
export async function copyStore(from: IRecordStore, to: IRecordStore, context: SecurityContext): Promise<CopyReport> {
  const chain = await from.audit.verify();
  if (!chain.ok) {
    throw new AgentcfgError(ErrorCode.INTEGRITY_ERROR, `${from.location}'s audit trail does not verify (${chain.problem ?? 'broken'}); nothing was copied`, { context: { operation: 'copy' } });
  }
  const unended = [];
  for (const id of await from.journals.listUnended()) {
    const journal = await from.journals.read(id);
    const last = journal?.entries.filter((e) => e.event === 'workflow.status').at(-1)?.data.status;
    if (last !== 'COMPLETED' && last !== 'COMPENSATED' && last !== 'FAILED') unended.push(id);
  }
  if (unended.length > 0) {
    throw new AgentcfgError(ErrorCode.INCONSISTENT, `${from.location} has workflows that have not ended (${unended.join(', ')}); recover them first (agentcfg workflow recover)`, {
      context: { operation: 'copy', workflows: unended },
    });
  }
  const puts: RecordPut[] = [];
  const history: HistoryKeep[] = [];
  const records: Record<string, number> = {};
  for (const kind of RECORD_KINDS) {
    const items = await from.records(kind);
    records[kind] = items.length;
    for (const record of items) {
      puts.push({ kind, record, expectedVersion: null } as RecordPut);
      for (const earlier of await from.history(kind, record.id)) history.push({ kind, record: earlier } as HistoryKeep);
    }
  }
  const entries = await from.audit.list();
  const head = entries.at(-1)?.hash ?? null;
  const audit: AuditEvent[] = entries.map(({ seq: _seq, at: _at, prev: _prev, hash: _hash, ...event }) => event);
  audit.push({
    actor: context.actor,
    role: context.access,
    requestId: context.requestId,
    action: 'store.copied',
    outcome: 'ok',
    reason: `copied from ${from.location}: ${entries.length} audit entries, the last with hash ${head ?? '(none)'}`,
  });
  const commit: Commit = { puts, history, audit };
  try {
    await to.commit(commit, { context });
  } catch (error) {
    if (error instanceof ConflictError) {
      throw new ConflictError(`${to.location} already holds records of ${from.location} (${error.message}); nothing was copied`, error.current, { context: { operation: 'copy' } });
    }
    throw error;
  }
  return { from: from.location, to: to.location, records, historyVersions: history.length, auditEntries: audit.length, sourceAuditHead: head };
}
