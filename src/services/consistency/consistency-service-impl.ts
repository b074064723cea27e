import { inject, injectable } from 'inversify';
import { everyKind, KINDS, RECORD_KINDS, type EveryKind, type RecordKind } from '../../domain/kinds/registry';
import type { KindDefinition, Reference } from '../../domain/kinds/kind';
import { IRecordServices, type RecordServiceOf } from '../shared/record-services';
import { WorkflowStatus } from '../../domain/workflow/workflow-definition';
import { IWorkflowService } from '../../workflow/workflow-service';
import { IRecordStore } from '../../storage/record-store';
import { IAccessControl } from '../../security/access-control';
import type { SecurityContext } from '../../security/security-context';
import type { Finding, IConsistencyService, RepairOptions, RepairReport, VerifyReport } from './consistency-service';

const UNFINISHED = new Set<string>([WorkflowStatus.PENDING, WorkflowStatus.RUNNING, WorkflowStatus.COMPENSATING]);

/** Verify and repair over the store, the record services and the workflow service. */
@injectable()
export class ConsistencyService implements IConsistencyService {
  constructor(
    @inject(IRecordStore) private readonly store: IRecordStore,
    @inject(IRecordServices) private readonly records: IRecordServices,
    @inject(IWorkflowService) private readonly workflows: IWorkflowService,
    @inject(IAccessControl) private readonly access: IAccessControl,
  ) {}

  async verify(securityContext: SecurityContext): Promise<VerifyReport> {
    await this.access.authorize(securityContext, 'read', { action: 'verify' });
    const findings: Finding[] = [];
    // Files are read as they are on disk: verify must not repair what it reports.
    const inspections = await Promise.all(RECORD_KINDS.map((kind) => this.store.inspect(kind)));
    for (const inspection of inspections) {
      if (!inspection) continue;
      if (inspection.status === 'corrupt') findings.push({ severity: 'error', code: 'FILE_CORRUPT', message: `${inspection.file} cannot be read: ${inspection.reason ?? ''}`, records: [{ kind: 'file', id: inspection.file }] });
      if (inspection.status === 'hand-edited') findings.push({ severity: 'warning', code: 'FILE_HAND_EDITED', message: `${inspection.file} was edited by hand: its checksum does not match`, records: [{ kind: 'file', id: inspection.file }] });
    }
    const byKind = everyKind((kind) => new Map((inspections[RECORD_KINDS.indexOf(kind)]?.items ?? []).map((r) => [(r as { id: string }).id, r as unknown])));
    for (const kind of RECORD_KINDS) {
      for (const record of byKind[kind].values()) findings.push(...this.checkReferences(kind, record as Record<string, unknown>, byKind));
    }
    const runs = await this.workflows.summaries(securityContext);
    for (const run of runs) {
      if (UNFINISHED.has(run.status)) findings.push({ severity: 'error', code: 'UNFINISHED_WORKFLOW', message: `workflow ${run.id} (${run.name}) was left ${run.status}`, records: [{ kind: 'workflow', id: run.id }] });
      if (run.unreadable !== undefined) {
        findings.push({ severity: 'error', code: 'FILE_CORRUPT', message: `the journal of workflow ${run.id} cannot be read: ${run.unreadable}`, records: [{ kind: 'workflow', id: run.id }] });
        continue;
      }
      if (run.status === WorkflowStatus.FAILED) findings.push({ severity: 'error', code: 'FAILED_WORKFLOW', message: `workflow ${run.id} (${run.name}) could not undo ${run.unresolved.join(', ')}`, records: [{ kind: 'workflow', id: run.id }] });
    }
    const chain = await this.store.audit.verify();
    if (!chain.ok) {
      findings.push({ severity: 'error', code: 'AUDIT_TAMPERED', message: `${this.store.audit.path}: ${chain.problem ?? 'the chain is broken'}`, records: [{ kind: 'file', id: this.store.audit.path }], ...(chain.badLine ? { line: chain.badLine } : {}) });
    }
    return {
      consistent: findings.length === 0,
      findings,
      checked: { ...(Object.fromEntries(RECORD_KINDS.map((kind) => [KINDS[kind].plural, byKind[kind].size])) as VerifyReport['checked']), workflows: runs.length, auditEntries: chain.entries },
    };
  }

  async repair(options: RepairOptions, securityContext: SecurityContext): Promise<RepairReport> {
    const context = await this.access.authorize(securityContext, 'repair', { action: 'repair' });
    const dryRun = options.dryRun === true;
    const actions: RepairReport['actions'] = [];
    const remaining: Finding[] = [];
    const act = async (action: string, target: string, detail: string, work: () => Promise<unknown>) => {
      if (!dryRun) await work();
      actions.push({ action, target, detail });
    };
    for (const finding of (await this.verify(context)).findings) {
      const [record] = finding.records;
      const id = record?.id ?? '';
      switch (finding.code) {
        case 'FILE_HAND_EDITED':
          await act('re-stamp', id, 'accept the hand edit and record its checksum', () => Promise.all(RECORD_KINDS.map((k) => this.store.records(k))));
          break;
        case 'FILE_CORRUPT':
          // A journal that cannot be trusted is evidence for a person, not something to rewrite.
          if (record?.kind === 'workflow') {
            remaining.push(finding);
            break;
          }
          // Reading restores the backup; if the backup is bad too, nothing can be done here.
          try {
            await act('restore-backup', id, 'move the corrupt file aside and restore its backup', () => Promise.all(RECORD_KINDS.map((k) => this.store.records(k))));
          } catch {
            remaining.push(finding);
          }
          break;
        case 'STALE_RESOLUTION':
          await act('re-resolve', `${record?.kind} ${id}`, finding.message, () => this.serviceOf(record?.kind).update(id, {}, { context }));
          break;
        case 'DANGLING_REFERENCE':
          if (options.pruneDangling) await this.prune(finding, act, context);
          else remaining.push(finding);
          break;
        case 'UNFINISHED_WORKFLOW':
        case 'FAILED_WORKFLOW':
          await act('recover', `workflow ${id}`, finding.message, () => this.workflows.recover({ includeFailed: true }, context));
          break;
        case 'AUDIT_TAMPERED':
          // The evidence is kept as it is: a repaired chain would hide what happened.
          remaining.push(finding);
          break;
      }
    }
    return { dryRun, actions, remaining: dryRun ? remaining : (await this.verify(context)).findings };
  }

  /** Dangling references of one record, or, where its references hold, fields derived from them that went stale. */
  private checkReferences(kind: RecordKind, record: Record<string, unknown>, byKind: EveryKind<ReadonlyMap<string, unknown>>): Finding[] {
    const definition = KINDS[kind] as KindDefinition<Record<string, unknown>>;
    if (definition.references.length === 0) return [];
    const records: Finding['records'] = [{ kind, id: String(record.id) }];
    const referenced: Record<string, unknown> = {};
    const missing: { field: string; what: string }[] = [];
    for (const { field, to } of definition.references) {
      const id = record[field];
      if (typeof id !== 'string') continue;
      const target = byKind[to as RecordKind].get(id);
      if (target === undefined) missing.push({ field, what: `${to} '${id}'` });
      else {
        referenced[field] = target;
        records.push({ kind: to as RecordKind, id });
      }
    }
    if (missing.length > 0) {
      const message = `${kind} '${String(record.id)}' refers to missing ${missing.map((m) => m.what).join(' and ')}`;
      return [{ severity: 'error', code: 'DANGLING_REFERENCE', message, records: [records[0] as Finding['records'][number]], fields: missing.map((m) => m.field) }];
    }
    const why = definition.staleness?.(record, referenced) ?? null;
    return why === null ? [] : [{ severity: 'warning', code: 'STALE_RESOLUTION', message: `${kind} '${String(record.id)}' ${why}`, records }];
  }

  /** A dangling reference pruned: an optional one cleared, a record whose required reference is gone deleted. */
  private async prune(finding: Finding, act: (action: string, target: string, detail: string, work: () => Promise<unknown>) => Promise<void>, context: SecurityContext): Promise<void> {
    const [record] = finding.records;
    if (!record || record.kind === 'workflow' || record.kind === 'file') return;
    const { kind, id } = record;
    const optional = new Set(KINDS[kind].references.filter((r: Reference) => r.optional === true).map((r: Reference) => r.field));
    const fields = finding.fields ?? [];
    if (fields.length > 0 && fields.every((f) => optional.has(f))) {
      const patch = Object.fromEntries(fields.map((f) => [f, null]));
      await act('clear', `${kind} ${id}`, finding.message, () => this.serviceOf(kind).update(id, patch as never, { context }));
    } else {
      await act('prune', `${kind} ${id}`, finding.message, () => this.serviceOf(kind).delete(id, { context }));
    }
  }

  private serviceOf(kind: string | undefined): RecordServiceOf<RecordKind> {
    return this.records[kind as RecordKind] as RecordServiceOf<RecordKind>;
  }
}
