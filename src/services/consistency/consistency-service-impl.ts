import { inject, injectable } from 'inversify';
import type { Agent } from '../../domain/agent/agent';
import type { Personality } from '../../domain/personality/personality';
import { resolutionOf } from '../../domain/prompt/resolution';
import { RECORD_KINDS } from '../../domain/record';
import type { Role } from '../../domain/role/role';
import { WorkflowStatus } from '../../domain/workflow/workflow-definition';
import { IWorkflowService } from '../../workflow/workflow-service';
import { IAgentService } from '../agent/agent-service';
import { IFileService } from '../file/file-service';
import { IAuditLog } from '../../audit/audit-log';
import { IAccessControl } from '../../security/access-control';
import type { SecurityContext } from '../../security/security-context';
import type { Finding, IConsistencyService, RepairOptions, RepairReport, VerifyReport } from './consistency-service';

const UNFINISHED = new Set<string>([WorkflowStatus.PENDING, WorkflowStatus.RUNNING, WorkflowStatus.COMPENSATING]);

/** Verify and repair over the file, agent and workflow services. */
@injectable()
export class ConsistencyService implements IConsistencyService {
  constructor(
    @inject(IFileService) private readonly files: IFileService,
    @inject(IAgentService) private readonly agents: IAgentService,
    @inject(IWorkflowService) private readonly workflows: IWorkflowService,
    @inject(IAccessControl) private readonly access: IAccessControl,
    @inject(IAuditLog) private readonly audit: IAuditLog,
  ) {}

  async verify(securityContext: SecurityContext): Promise<VerifyReport> {
    await this.access.authorize(securityContext, 'read', { action: 'verify' });
    const findings: Finding[] = [];
    // Files are read as they are on disk: verify must not repair what it reports.
    const [personalities, roles, agents] = await Promise.all(RECORD_KINDS.map((kind) => this.files.inspect(kind)));
    for (const inspection of [personalities, roles, agents]) {
      if (!inspection) continue;
      if (inspection.status === 'corrupt') findings.push({ severity: 'error', code: 'FILE_CORRUPT', message: `${inspection.file} cannot be read: ${inspection.reason ?? ''}`, records: [{ kind: 'file', id: inspection.file }] });
      if (inspection.status === 'hand-edited') findings.push({ severity: 'warning', code: 'FILE_HAND_EDITED', message: `${inspection.file} was edited by hand: its checksum does not match`, records: [{ kind: 'file', id: inspection.file }] });
    }
    const personalityById = new Map((personalities?.items ?? []).map((p) => [p.id, p as Personality]));
    const roleById = new Map((roles?.items ?? []).map((r) => [r.id, r as Role]));
    for (const agent of (agents?.items ?? []) as Agent[]) findings.push(...this.checkAgent(agent, personalityById, roleById));
    const runs = await this.workflows.summaries(securityContext);
    for (const run of runs) {
      if (UNFINISHED.has(run.status)) findings.push({ severity: 'error', code: 'UNFINISHED_WORKFLOW', message: `workflow ${run.id} (${run.name}) was left ${run.status}`, records: [{ kind: 'workflow', id: run.id }] });
      if (run.unreadable !== undefined) {
        findings.push({ severity: 'error', code: 'FILE_CORRUPT', message: `the journal of workflow ${run.id} cannot be read: ${run.unreadable}`, records: [{ kind: 'workflow', id: run.id }] });
        continue;
      }
      if (run.status === WorkflowStatus.FAILED) findings.push({ severity: 'error', code: 'FAILED_WORKFLOW', message: `workflow ${run.id} (${run.name}) could not undo ${run.unresolved.join(', ')}`, records: [{ kind: 'workflow', id: run.id }] });
    }
    const chain = await this.audit.verify();
    if (!chain.ok) {
      findings.push({ severity: 'error', code: 'AUDIT_TAMPERED', message: `${this.audit.path}: ${chain.problem ?? 'the chain is broken'}`, records: [{ kind: 'file', id: this.audit.path }], ...(chain.badLine ? { line: chain.badLine } : {}) });
    }
    return {
      consistent: findings.length === 0,
      findings,
      checked: { personalities: personalityById.size, roles: roleById.size, agents: agents?.items.length ?? 0, workflows: runs.length, auditEntries: chain.entries },
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
          await act('re-stamp', id, 'accept the hand edit and record its checksum', () => Promise.all(RECORD_KINDS.map((k) => this.files.read(k))));
          break;
        case 'FILE_CORRUPT':
          // A journal that cannot be trusted is evidence for a person, not something to rewrite.
          if (record?.kind === 'workflow') {
            remaining.push(finding);
            break;
          }
          // Reading restores the backup; if the backup is bad too, nothing can be done here.
          try {
            await act('restore-backup', id, 'move the corrupt file aside and restore its backup', () => Promise.all(RECORD_KINDS.map((k) => this.files.read(k))));
          } catch {
            remaining.push(finding);
          }
          break;
        case 'STALE_RESOLUTION':
          await act('re-resolve', `agent ${id}`, finding.message, () => this.agents.update(id, {}, { context }));
          break;
        case 'DANGLING_REFERENCE':
          if (options.pruneDangling) await act('prune', `agent ${id}`, finding.message, () => this.agents.delete(id, { context }));
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

  private checkAgent(agent: Agent, personalities: ReadonlyMap<string, Personality>, roles: ReadonlyMap<string, Role>): Finding[] {
    const personality = personalities.get(agent.personalityId);
    const role = roles.get(agent.roleId);
    const records = [{ kind: 'agent' as const, id: agent.id }];
    if (!personality || !role) {
      const missing = [!personality ? `personality '${agent.personalityId}'` : '', !role ? `role '${agent.roleId}'` : ''].filter(Boolean).join(' and ');
      return [{ severity: 'error', code: 'DANGLING_REFERENCE', message: `agent '${agent.id}' refers to missing ${missing}`, records }];
    }
    const now = resolutionOf(personality, role);
    const stored = agent.resolution;
    if (stored?.hash === now.hash && stored.personalityVersion === now.personalityVersion && stored.roleVersion === now.roleVersion) return [];
    const why = !stored ? 'was never resolved' : `was resolved from personality v${stored.personalityVersion} and role v${stored.roleVersion}, now v${now.personalityVersion} and v${now.roleVersion}`;
    return [{ severity: 'warning', code: 'STALE_RESOLUTION', message: `agent '${agent.id}' ${why}`, records: [...records, { kind: 'personality', id: personality.id }, { kind: 'role', id: role.id }] }];
  }
}
