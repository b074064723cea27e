import type { Agent, AgentInput, AgentPatch } from '../../domain/agent/agent';
import type { ImportConflict, OnConflict } from './import-plan';
import type { Personality, PersonalityInput, PersonalityPatch } from '../../domain/personality/personality';
import type { Role, RoleInput, RolePatch } from '../../domain/role/role';
import type { Connection } from '../../domain/kinds/connection';
import type { AgentWithDependencies, Bundle, CountsByKind } from '../../domain/bundle';
import type { InputOf, PatchOf } from '../shared/record-services';
import type { WorkflowDefinition } from '../../domain/workflow/workflow-definition';
import type { WorkflowRun } from '../../workflow/workflow-run';
import type { RecoverOptions, RecoveryReport } from '../../workflow/workflow-service';
import type { ResolvedUpdate, VersionGuard, WriteOptions } from '../shared/record-service';
import type { RecordKind } from '../../domain/record';
import type { ChangeListener, Disposable } from '../../storage/change-feed';
import type { RepairOptions, RepairReport, VerifyReport } from '../consistency/consistency-service';
import type { AnyRecord, RecordOf } from '../../domain/records';
import type { AccessLevel, Principal, PrincipalInput, SecurityContext } from '../../security/security-context';
import type { AccessTokenInfo } from '../tokens/token-service';
import type { CloseOptions, StoreHealth } from '../../storage/record-store';
import type { AuditFilter } from '../../audit/audit-log';
import type { AuditEntry } from '../../audit/audit-entry';
import type { AuditVerification } from '../../audit/audit-chain';

/** Options of an update: the version it was made against, and how to reconcile if that is not current. */
export type UpdateOptions = Pick<WriteOptions, 'expectedVersion' | 'strategy' | 'rules'>;

/** An agent with what it is built from and the system prompt an app sends to its model. */
export interface ResolvedAgent {
  agent: Agent;
  personality: Personality;
  role: Role;
  /** The connection the agent uses, when it names one. */
  connection?: Connection;
  systemPrompt: string;
  /** Advice about the model config that is valid but may be a mistake (an unknown model, say). */
  warnings: string[];
}

/** Options of deleting a personality. */
export interface DeletePersonalityOptions extends VersionGuard {
  /** Delete the agents that use it first, all in one workflow. */
  cascade?: boolean;
}

/** Options of a delete: a version guard, and for kinds that allow it, `cascade` (the records that use it first). */
export type DeleteOptions = DeletePersonalityOptions;

/** The records of one kind, read and changed as the configuration service's principal. */
export interface RecordsApi<K extends RecordKind> {
  list(): Promise<RecordOf<K>[]>;
  get(id: string): Promise<RecordOf<K> | null>;
  create(input: InputOf<K>): Promise<RecordOf<K>>;
  /** A merge patch; records that derive fields from this one are stamped again in the same workflow. */
  update(id: string, patch: PatchOf<K>, options?: UpdateOptions): Promise<RecordOf<K>>;
  delete(id: string, options?: DeleteOptions): Promise<RecordOf<K>>;
  history(id: string): Promise<RecordOf<K>[]>;
  restore(id: string, version: number): Promise<RecordOf<K>>;
}

/** What a built-in workflow made, and the run that made it. */
export interface WorkflowOutcome<T> {
  result: T;
  workflow: WorkflowRun;
}

/** Counts of what a data folder holds. */
export interface ConfigurationSummary {
  dataDir: string;
  personalities: { total: number; templates: number };
  roles: { total: number; templates: number };
  agents: { total: number };
}

/**
 * The front door of the library: every read and change of configuration goes through here, on behalf of one
 * principal (who acts, as viewer, editor or admin). Each call carries a security context issued here; the
 * services refuse changes without one, and every change, denial and workflow transition is audited.
 */
export interface IConfigurationService {
  /** The data folder in use. */
  readonly dataDir: string;
  /** Who this service acts for. */
  readonly principal: Principal;
  /** The same service acting for another principal (VALIDATION_ERROR for an unknown role or a bad name). */
  as(principal: PrincipalInput): IConfigurationService;
  /**
   * A fresh security context for this principal, for calling a service resolved from the container directly:
   * the service still checks its rights and audits the call.
   */
  issueContext(): SecurityContext;
  /** Audit entries, oldest first (needs the right 'read-audit': admins). */
  auditEntries(filter?: AuditFilter): Promise<AuditEntry[]>;
  /** Checks the audit log's hash chain, naming the first bad line. */
  verifyAudit(): Promise<AuditVerification>;
  /** Creates the data folder and seeds the templates that are missing; idempotent. */
  initialize(): Promise<void>;

  createPersonality(input: PersonalityInput): Promise<Personality>;
  getPersonality(id: string): Promise<Personality | null>;
  getAllPersonalities(): Promise<Personality[]>;
  updatePersonality(id: string, patch: PersonalityPatch, options?: UpdateOptions): Promise<Personality>;
  deletePersonality(id: string, options?: DeletePersonalityOptions): Promise<Personality>;

  createRole(input: RoleInput): Promise<Role>;
  getRole(id: string): Promise<Role | null>;
  getAllRoles(): Promise<Role[]>;
  updateRole(id: string, patch: RolePatch, options?: UpdateOptions): Promise<Role>;
  deleteRole(id: string, guard?: VersionGuard): Promise<Role>;

  createAgent(input: AgentInput): Promise<Agent>;
  getAgent(id: string): Promise<Agent | null>;
  getAllAgents(): Promise<Agent[]>;
  updateAgent(id: string, patch: AgentPatch, options?: UpdateOptions): Promise<Agent>;
  deleteAgent(id: string, guard?: VersionGuard): Promise<Agent>;

  /** The records of one kind of the registry (`records('role').list()`); the typed methods above are shortcuts. */
  records<K extends RecordKind>(kind: K): RecordsApi<K>;
  /** Updates any kind of record, saying where each changed field came from. */
  updateRecord(kind: RecordKind, id: string, patch: unknown, options?: UpdateOptions): Promise<ResolvedUpdate<AnyRecord>>;
  /** Previous versions of a record, oldest first. */
  recordHistory(kind: RecordKind, id: string): Promise<AnyRecord[]>;
  /** Makes a previous version of a record current again, as a new version. */
  restoreRecord(kind: RecordKind, id: string, version: number): Promise<AnyRecord>;

  /** Checks across services: files, references, agents' resolutions, unfinished workflows, the audit chain. Changes nothing. */
  verify(): Promise<VerifyReport>;
  /** Reconciles what verify finds (admins only); dangling agents are only reported unless `pruneDangling`. */
  repair(options?: RepairOptions): Promise<RepairReport>;

  /** Change events of one kind of record, made here or by another process using the same folder. */
  onDidChange(kind: RecordKind, listener: ChangeListener): Disposable;
  /** Change events of personalities, made here or by another process using the same folder. */
  onDidChangePersonality(listener: ChangeListener): Disposable;
  /** Change events of roles. */
  onDidChangeRole(listener: ChangeListener): Disposable;
  /** Change events of agents. */
  onDidChangeAgent(listener: ChangeListener): Disposable;

  /** The agent's effective system prompt and the records it comes from; NOT_FOUND if any is missing. */
  resolveAgent(id: string): Promise<ResolvedAgent>;
  /** Counts of records in the data folder. */
  summary(): Promise<ConfigurationSummary>;
  /**
   * Folds the change logs into their JSON files, so the files alone are current (close() does too). Changes no
   * record; the service stays usable. Says which collections were written.
   */
  compact(): Promise<RecordKind[]>;
  /** Whether reads are served from the last snapshot because the store is away (a database server down, say). */
  health(): StoreHealth;
  /**
   * The last call, for a clean shutdown: on a data folder the change logs are folded into the JSON files (as
   * compact() does, unless `compact` is false); on a database the connections are let go, so the process can end.
   */
  close(options?: CloseOptions): Promise<void>;

  /** Runs a workflow; the run says COMPLETED, COMPENSATED or FAILED. An invalid definition is refused first. */
  runWorkflow(definition: WorkflowDefinition | unknown): Promise<WorkflowRun>;
  getWorkflow(id: string): Promise<WorkflowRun | null>;
  listWorkflows(): Promise<WorkflowRun[]>;
  /** Undoes workflows that processes left unfinished (and FAILED ones, if asked); includes what start-up recovery did. */
  recoverWorkflows(options?: RecoverOptions): Promise<RecoveryReport[]>;
  /** Creates the personality and role (inline, or uses existing ids) and the agent, all or nothing. */
  createAgentWithDependencies(request: AgentWithDependencies): Promise<WorkflowOutcome<{ personality: Personality; role: Role; agent: Agent }>>;
  /**
   * Creates every record of a bundle, all or nothing. A record whose id is taken is refused (`fail`, the default:
   * CONFLICT naming each, nothing written), left as it is (`skip`), replaced (`overwrite`) or created under a new id
   * (`rename`); the result counts the records written and says what became of each taken id.
   */
  importBundle(bundle: Bundle | unknown, options?: ImportOptions): Promise<ImportOutcome>;
  /** The user's records (templates left out) as a bundle that `importBundle` accepts. */
  exportBundle(): Promise<Bundle>;

  /**
   * A new access token for the HTTP API and console (admins only; `access` is the level it grants): its secret is
   * in the result once and never again, only its hash is kept.
   */
  createToken(input: { name: string; access: AccessLevel }): Promise<{ token: AccessTokenInfo; secret: string }>;
  /** Every token, revoked ones included, without secrets (admins only). */
  listTokens(): Promise<AccessTokenInfo[]>;
  /** Revokes the live token of that name (admins only); NOT_FOUND when there is none. */
  revokeToken(name: string): Promise<AccessTokenInfo>;
  /** Who a token's secret acts for (its name, at its level), or null when it is unknown, malformed or revoked. */
  authenticateToken(secret: string): Promise<Principal | null>;
}

/** How an import treats ids that are taken. */
export interface ImportOptions {
  onConflict?: OnConflict;
}

/** What an import wrote (records per kind, created or replaced), and what became of each record whose id was taken. */
export type ImportResult = CountsByKind & { conflicts: ImportConflict[] };

/** An import's result, and the workflow that wrote it (none when every record was skipped). */
export interface ImportOutcome {
  result: ImportResult;
  workflow: WorkflowRun | null;
}

/** Injection token for the configuration service. */
export const IConfigurationService = Symbol.for('agentcfg.IConfigurationService');
