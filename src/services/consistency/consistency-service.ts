import type { KINDS, RecordKind } from '../../domain/kinds/registry';
import type { SecurityContext } from '../../security/security-context';

/** One thing verify found wrong, with the records it concerns. */
export interface Finding {
  severity: 'error' | 'warning';
  code: 'FILE_CORRUPT' | 'FILE_HAND_EDITED' | 'DANGLING_REFERENCE' | 'STALE_RESOLUTION' | 'UNFINISHED_WORKFLOW' | 'FAILED_WORKFLOW' | 'AUDIT_TAMPERED';
  message: string;
  records: { kind: RecordKind | 'workflow' | 'file'; id: string }[];
  /** For AUDIT_TAMPERED: the first bad line of the audit log. */
  line?: number;
  /** For DANGLING_REFERENCE: the fields that name a missing record. */
  fields?: string[];
}

/** The result of a check across service boundaries. */
export interface VerifyReport {
  consistent: boolean;
  findings: Finding[];
  /** How many records of each kind (by its plural), workflows and audit entries were checked. */
  checked: { [K in RecordKind as (typeof KINDS)[K]['plural']]: number } & { workflows: number; auditEntries: number };
}

/** What repair did (or, in a dry run, would do). */
export interface RepairReport {
  dryRun: boolean;
  actions: { action: string; target: string; detail: string }[];
  /** Findings left for a person: dangling agents when not pruned, files that could not be read. */
  remaining: Finding[];
}

/** Options of repair. */
export interface RepairOptions {
  /** Only say what would be done. */
  dryRun?: boolean;
  /** Clear optional references to a missing record, and delete records whose required reference is missing (otherwise they are only reported). */
  pruneDangling?: boolean;
}

/** Checks and reconciles the data folder across the personality, role, agent, file and workflow services. */
export interface IConsistencyService {
  /** Finds corrupt or hand-edited files, dangling references, stale resolutions, unfinished workflows and a broken audit chain. Changes nothing. */
  verify(context: SecurityContext): Promise<VerifyReport>;
  /** Re-resolves stale agents, recovers unfinished workflows, re-stamps files; reports dangling agents unless pruning. Admins only. */
  repair(options: RepairOptions, context: SecurityContext): Promise<RepairReport>;
}

/** Injection token for the consistency service. */
export const IConsistencyService = Symbol.for('agentcfg.IConsistencyService');
