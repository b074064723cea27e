import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { Agent, AgentInput, AgentPatch } from '../../domain/agent/agent';
import { modelWarnings } from '../../domain/agent/model-catalogue';
import { NotFoundError } from '../../domain/errors/errors';
import type { Personality, PersonalityInput, PersonalityPatch } from '../../domain/personality/personality';
import { composeSystemPrompt } from '../../domain/prompt/effective-system-prompt';
import type { Role, RoleInput, RolePatch } from '../../domain/role/role';
import type { IAgentService } from '../agent/agent-service';
import type { CloseOptions, IRecordStore, StoreHealth } from '../../storage/record-store';
import type { IPersonalityService } from '../personality/personality-service';
import type { IRoleService } from '../role/role-service';
import type { IRecordService, ResolvedUpdate, VersionGuard } from '../shared/record-service';
import { KINDS, RECORD_KINDS, referencesTo, type RecordKind } from '../../domain/kinds/registry';
import type { KindDefinition } from '../../domain/kinds/kind';
import type { AnyRecord, RecordOf } from '../../domain/records';
import type { IRecordServices, RecordServiceOf } from '../shared/record-services';
import type { ConfigurationSummary, DeleteOptions, DeletePersonalityOptions, IConfigurationService, ImportOptions, ImportOutcome, RecordsApi, ResolvedAgent, UpdateOptions, WorkflowOutcome } from './configuration-service';
import { seedTemplates } from './seed-templates';
import type { IChangeFeed, ChangeListener, Disposable } from '../../storage/change-feed';
import type { IConsistencyService, RepairOptions, RepairReport, VerifyReport } from '../consistency/consistency-service';
import { agentWithDependenciesSchema, bundleSchema, type AgentWithDependencies, type Bundle, type CountsByKind } from '../../domain/bundle';
import { AgentcfgError } from '../../domain/errors/agentcfg-error';
import type { ErrorCode } from '../../domain/errors/error-code';
import { ConflictError, ValidationError } from '../../domain/errors/errors';
import { parseInput } from '../../domain/validation/parse-input';
import { isCustomStep, WorkflowStatus, type WorkflowDefinition } from '../../domain/workflow/workflow-definition';
import type { WorkflowRun } from '../../workflow/workflow-run';
import type { IWorkflowService, RecoverOptions, RecoveryReport } from '../../workflow/workflow-service';
import type { IAccessControl } from '../../security/access-control';
import type { IAuditLog, AuditFilter } from '../../audit/audit-log';
import type { AuditEntry } from '../../audit/audit-entry';
import type { AuditVerification } from '../../audit/audit-chain';
import type { ContextAuthority } from '../../security/context-authority';
import type { Right } from '../../security/rights';
import { principalSchema, type AccessLevel, type Principal, type PrincipalInput, type SecurityContext } from '../../security/security-context';
import type { AccessTokenInfo, ITokenService } from '../tokens/token-service';
import { auditFilterSchema } from '../../audit/audit-filter';
import { guarded } from '../../security/guarded';
import { cascadeDeleteWorkflow, changeWithPropagationWorkflow, createAgentWithDependenciesWorkflow } from './built-in-workflows';
import { ON_CONFLICT, planImport } from './import-plan';
import { changedPaths } from '../../domain/conflict/field-paths';
import { resolveUpdate, type FieldSource } from '../../domain/conflict/resolve-update';

/** The output a completed workflow's step produced. */
function outputOf<T>(run: WorkflowRun, stepId: string): T {
  return run.steps.find((s) => s.id === stepId)?.output as T;
}

/** What the configuration service coordinates; `issue` is the only way to make a security context. */
export interface ConfigurationParts {
  store: IRecordStore;
  records: IRecordServices;
  workflows: IWorkflowService;
  consistency: IConsistencyService;
  feed: IChangeFeed;
  access: IAccessControl;
  audit: IAuditLog;
  tokens: ITokenService;
  issue: ContextAuthority['issue'];
}

/** State every principal's view of one container shares. */
interface SharedState {
  /** What start-up recovery did, reported by the next `recoverWorkflows` call that may see it. */
  recoveredAtStartup: RecoveryReport[];
}

/** The actor start-up work runs as: seeding templates and undoing workflows a killed process left half-done. */
const SYSTEM_ACTOR = 'system';

/** An import's options, checked like any input. */
const importOptionsSchema = z.strictObject({ onConflict: z.enum(ON_CONFLICT).default('fail') });

/**
 * Coordinates the personality, role, agent, file and workflow services behind one API, acting for one
 * principal: every call issues a fresh security context (who, with what role, for which request) that the
 * services check and audit. `as` gives the same service acting for someone else.
 */
export class ConfigurationService implements IConfigurationService {
  private readonly store: IRecordStore;
  private readonly services: IRecordServices;
  private readonly personalities: IPersonalityService;
  private readonly roles: IRoleService;
  private readonly agents: IAgentService;
  private readonly workflows: IWorkflowService;
  private readonly consistency: IConsistencyService;
  private readonly feed: IChangeFeed;

  constructor(
    private readonly parts: ConfigurationParts,
    readonly principal: Principal,
    private readonly shared: SharedState = { recoveredAtStartup: [] },
  ) {
    ({ store: this.store, records: this.services, workflows: this.workflows, consistency: this.consistency, feed: this.feed } = parts);
    ({ personality: this.personalities, role: this.roles, agent: this.agents } = this.services);
  }

  as(principal: PrincipalInput): IConfigurationService {
    const parsed = parseInput(principalSchema, principal, 'principal', { service: 'configuration', operation: 'as' });
    return new ConfigurationService(this.parts, parsed, this.shared);
  }

  issueContext(): SecurityContext {
    const { actor, access, requestId } = this.principal;
    return this.parts.issue({ actor, access, requestId: requestId ?? randomUUID() });
  }

  /** The context of one call, checked for `right` up front. */
  private async authorized(right: Right, action: string, target?: { kind: string; id: string }): Promise<SecurityContext> {
    return this.parts.access.authorize(this.issueContext(), right, { action, ...(target ? { target } : {}) });
  }

  /**
   * A request that spans services (it runs as a workflow): checked for `right` first, and audited as failed
   * when it is refused before or after its workflow ran.
   */
  private async request<T>(right: Right, action: string, work: (context: SecurityContext) => Promise<T>, target?: { kind: string; id: string }): Promise<T> {
    return guarded(this.parts, this.issueContext(), right, { action, ...(target ? { target } : {}) }, work);
  }

  onDidChange(kind: RecordKind, listener: ChangeListener): Disposable {
    return this.feed.subscribe(kind, listener);
  }
  onDidChangePersonality(listener: ChangeListener): Disposable {
    return this.feed.subscribe('personality', listener);
  }
  onDidChangeRole(listener: ChangeListener): Disposable {
    return this.feed.subscribe('role', listener);
  }
  onDidChangeAgent(listener: ChangeListener): Disposable {
    return this.feed.subscribe('agent', listener);
  }

  /** A change made here is announced to this process's listeners at once, without waiting for the next look. */
  private async changed<T>(change: Promise<T>): Promise<T> {
    const result = await change;
    await this.feed.check();
    return result;
  }

  verify(): Promise<VerifyReport> {
    return this.consistency.verify(this.issueContext());
  }
  repair(options: RepairOptions = {}): Promise<RepairReport> {
    return this.changed(this.consistency.repair(options, this.issueContext()));
  }

  async auditEntries(filter: AuditFilter = {}): Promise<AuditEntry[]> {
    await this.authorized('read-audit', 'audit.list');
    return this.parts.audit.list(parseInput(auditFilterSchema, filter, 'audit filter', { service: 'configuration', operation: 'audit.list' }));
  }
  async verifyAudit(): Promise<AuditVerification> {
    await this.authorized('read', 'audit.verify');
    return this.parts.audit.verify();
  }

  get dataDir(): string {
    return this.store.location;
  }

  async initialize(): Promise<void> {
    await this.store.initialize();
    const system = this.parts.issue({ actor: SYSTEM_ACTOR, access: 'admin', requestId: this.principal.requestId ?? randomUUID() });
    await seedTemplates(this.services, system);
    // Workflows that a killed process left half-done are undone before anyone reads their records.
    this.shared.recoveredAtStartup.push(...(await this.workflows.recover({}, system)));
  }

  createPersonality(input: PersonalityInput): Promise<Personality> {
    return this.changed(this.personalities.create(input, { context: this.issueContext() }));
  }
  getPersonality(id: string): Promise<Personality | null> {
    return this.personalities.get(id);
  }
  getAllPersonalities(): Promise<Personality[]> {
    return this.personalities.list();
  }
  async updatePersonality(id: string, patch: PersonalityPatch, options?: UpdateOptions): Promise<Personality> {
    return (await this.updateRecord('personality', id, patch, options)).record as Personality;
  }
  deletePersonality(id: string, options: DeletePersonalityOptions = {}): Promise<Personality> {
    return this.deleteRecord('personality', id, options);
  }

  /** Deletes a record; with `cascade` (kinds whose definition allows it), the records that use it first, in one workflow. */
  private async deleteRecord<K extends RecordKind>(kind: K, id: string, options: DeleteOptions = {}): Promise<RecordOf<K>> {
    const { cascade, ...guard } = options;
    const service = this.serviceOf(kind);
    if (!cascade || !(KINDS[kind] as KindDefinition).cascadeDelete) return this.changed(service.delete(id, { ...guard, context: this.issueContext() }));
    return this.request(
      'write',
      `${kind}.delete-cascade`,
      async (context) => {
        const record = await service.get(id);
        if (!record) throw new NotFoundError(kind, id, { service: 'configuration', operation: 'delete' });
        const users = await this.usersOf(kind, id);
        await this.completed(await this.changed(this.workflows.run(cascadeDeleteWorkflow(kind, id, users, guard.expectedVersion), context)));
        return record;
      },
      { kind, id: id.slice(0, 100) },
    );
  }

  /** The records of every kind that reference the record `kind`/`id`, with their versions. */
  private async usersOf(kind: RecordKind, id: string, only?: (holder: RecordKind) => boolean): Promise<{ kind: RecordKind; id: string; version: number }[]> {
    const users: { kind: RecordKind; id: string; version: number }[] = [];
    for (const reference of referencesTo(kind)) {
      if (only && !only(reference.kind)) continue;
      for (const record of await this.serviceOf(reference.kind).list()) {
        if ((record as Record<string, unknown>)[reference.field] === id) users.push({ kind: reference.kind, id: record.id, version: record.version });
      }
    }
    return users;
  }

  records<K extends RecordKind>(kind: K): RecordsApi<K> {
    const service = this.serviceOf(kind);
    return {
      list: () => service.list(),
      get: (id) => service.get(id),
      create: (input) => this.changed(service.create(input, { context: this.issueContext() })),
      update: async (id, patch, options) => (await this.updateRecord(kind, id, patch, options)).record as RecordOf<K>,
      delete: (id, options) => this.deleteRecord(kind, id, options),
      history: (id) => service.history(id),
      restore: (id, version) => this.changed(service.restore(id, version, { context: this.issueContext() })),
    };
  }

  createRole(input: RoleInput): Promise<Role> {
    return this.changed(this.roles.create(input, { context: this.issueContext() }));
  }
  getRole(id: string): Promise<Role | null> {
    return this.roles.get(id);
  }
  getAllRoles(): Promise<Role[]> {
    return this.roles.list();
  }
  async updateRole(id: string, patch: RolePatch, options?: UpdateOptions): Promise<Role> {
    return (await this.updateRecord('role', id, patch, options)).record as Role;
  }
  deleteRole(id: string, guard?: VersionGuard): Promise<Role> {
    return this.changed(this.roles.delete(id, { ...guard, context: this.issueContext() }));
  }

  createAgent(input: AgentInput): Promise<Agent> {
    return this.changed(this.agents.create(input, { context: this.issueContext() }));
  }
  getAgent(id: string): Promise<Agent | null> {
    return this.agents.get(id);
  }
  getAllAgents(): Promise<Agent[]> {
    return this.agents.list();
  }
  updateAgent(id: string, patch: AgentPatch, options?: UpdateOptions): Promise<Agent> {
    return this.changed(this.agents.update(id, patch, { ...options, context: this.issueContext() }));
  }
  deleteAgent(id: string, guard?: VersionGuard): Promise<Agent> {
    return this.changed(this.agents.delete(id, { ...guard, context: this.issueContext() }));
  }

  async updateRecord(kind: RecordKind, id: string, patch: unknown, options: UpdateOptions = {}): Promise<ResolvedUpdate<AnyRecord>> {
    const context = this.issueContext();
    // Records that derive fields from this one (an agent's resolution) are stamped again with it, in one workflow.
    const dependents = await this.usersOf(kind, id, (holder) => (KINDS[holder] as KindDefinition).derive !== undefined);
    if (dependents.length === 0) return this.changed(this.serviceFor(kind).updateResolved(id, patch, { ...options, context }));
    return this.request(
      'write',
      `${kind}.update-and-propagate`,
      async (checked) => {
        // Checked here too, so a bad field is named in the patch rather than in the workflow step carrying it.
        parseInput(z.unknown(), patch, `${kind} patch`, { service: 'configuration', operation: 'update' });
        const before = await this.serviceFor(kind).get(id);
        const run = await this.completed(await this.changed(this.workflows.run(changeWithPropagationWorkflow(kind, id, patch, options, dependents), checked)));
        const record = outputOf<AnyRecord>(run, 'change');
        return { record, fields: await this.fieldSources(kind, before, record, patch, options) };
      },
      { kind, id },
    );
  }

  /** Where the fields of a propagated change came from (the service worked this out inside the workflow). */
  private async fieldSources(kind: RecordKind, before: AnyRecord | null, record: AnyRecord, patch: unknown, options: UpdateOptions): Promise<FieldSource[]> {
    const asRecord = (r: unknown) => r as Record<string, unknown>;
    if (before && options.strategy && options.strategy !== 'reject' && options.expectedVersion !== undefined && options.expectedVersion !== before.version) {
      const base = (await this.serviceFor(kind).history(record.id)).find((r) => r.version === options.expectedVersion) ?? null;
      const resolved = resolveUpdate({ base: base && asRecord(base), current: asRecord(before), patch: asRecord(patch), strategy: options.strategy, ...(options.rules ? { rules: options.rules } : {}) });
      if (resolved.ok) return resolved.fields;
    }
    return [...changedPaths(asRecord(before ?? {}), asRecord(record))].filter((p) => p !== 'version' && p !== 'updatedAt').map((path) => ({ path, source: 'mine' as const }));
  }
  recordHistory(kind: RecordKind, id: string): Promise<AnyRecord[]> {
    return this.serviceFor(kind).history(id);
  }
  restoreRecord(kind: RecordKind, id: string, version: number): Promise<AnyRecord> {
    return this.changed(this.serviceFor(kind).restore(id, version, { context: this.issueContext() }));
  }

  private serviceFor(kind: RecordKind): IRecordService<AnyRecord, unknown, unknown> {
    return this.services[kind] as unknown as IRecordService<AnyRecord, unknown, unknown>;
  }

  private serviceOf<K extends RecordKind>(kind: K): RecordServiceOf<K> {
    return this.services[kind] as RecordServiceOf<K>;
  }

  async resolveAgent(id: string): Promise<ResolvedAgent> {
    const context = { service: 'configuration', operation: 'resolveAgent' };
    const agent = await this.agents.get(id);
    if (!agent) throw new NotFoundError('agent', id, context);
    const [personality, role] = await Promise.all([this.personalities.get(agent.personalityId), this.roles.get(agent.roleId)]);
    if (!personality) throw new NotFoundError('personality', agent.personalityId, { ...context, agentId: id });
    if (!role) throw new NotFoundError('role', agent.roleId, { ...context, agentId: id });
    const connection = agent.connectionId === undefined ? null : await this.services.connection.get(agent.connectionId);
    if (agent.connectionId !== undefined && !connection) throw new NotFoundError('connection', agent.connectionId, { ...context, agentId: id });
    return { agent, personality, role, ...(connection ? { connection } : {}), systemPrompt: composeSystemPrompt(role, personality), warnings: modelWarnings(agent.modelConfig) };
  }

  runWorkflow(definition: unknown): Promise<WorkflowRun> {
    return this.changed(this.workflows.run(definition as WorkflowDefinition, this.issueContext()));
  }
  getWorkflow(id: string): Promise<WorkflowRun | null> {
    return this.workflows.get(id, this.issueContext());
  }
  listWorkflows(): Promise<WorkflowRun[]> {
    return this.workflows.list(this.issueContext());
  }
  async recoverWorkflows(options: RecoverOptions = {}): Promise<RecoveryReport[]> {
    const context = this.issueContext();
    const recovered = await this.changed(this.workflows.recover(options, context));
    const mine = (report: RecoveryReport) => this.parts.access.ownsOrManages(context, report.owner);
    const atStartup = this.shared.recoveredAtStartup.filter(mine);
    this.shared.recoveredAtStartup.splice(0, this.shared.recoveredAtStartup.length, ...this.shared.recoveredAtStartup.filter((r) => !mine(r)));
    return [...atStartup, ...recovered];
  }

  async createAgentWithDependencies(request: AgentWithDependencies): Promise<WorkflowOutcome<{ personality: Personality; role: Role; agent: Agent }>> {
    return this.request('write', 'agent.create-with-dependencies', async (context) => {
      const parsed = parseInput(agentWithDependenciesSchema, request, 'agent with dependencies', { service: 'configuration', operation: 'createAgentWithDependencies' });
      const workflow = await this.completed(await this.changed(this.workflows.run(createAgentWithDependenciesWorkflow(parsed), context)));
      const agent = outputOf<Agent>(workflow, 'agent');
      // What the run created, as it created it; a personality or role it was given by id is read.
      const [personality, role] = await Promise.all([
        outputOf<Personality | undefined>(workflow, 'personality') ?? this.personalities.get(agent.personalityId),
        outputOf<Role | undefined>(workflow, 'role') ?? this.roles.get(agent.roleId),
      ]);
      return { result: { agent, personality: personality as Personality, role: role as Role }, workflow };
    });
  }

  async importBundle(bundle: unknown, options: ImportOptions = {}): Promise<ImportOutcome> {
    return this.request('write', 'import', async (context) => {
      const parsed = parseInput(bundleSchema, bundle, 'bundle', { service: 'configuration', operation: 'import' });
      const { onConflict } = parseInput(importOptionsSchema, options, 'import options', { service: 'configuration', operation: 'import' });
      const plurals = RECORD_KINDS.map((kind) => KINDS[kind].plural);
      if (plurals.every((plural) => (parsed[plural] as unknown[]).length === 0)) {
        const kinds = `${plurals.slice(0, -1).join(', ')} or ${plurals[plurals.length - 1]}`;
        throw new ValidationError('the bundle holds no records to import', [{ path: '', message: `no ${kinds}` }]);
      }
      const existing = new Map(await Promise.all(RECORD_KINDS.map(async (kind) => [kind, new Map((await this.serviceOf(kind).list()).map((r) => [r.id, r as Record<string, unknown>]))] as const)));
      const { definition, conflicts } = planImport(parsed, existing, onConflict);
      const written = (kind: RecordKind) => definition.steps.filter((step) => !isCustomStep(step) && step.service === kind).length;
      const result = { ...(Object.fromEntries(RECORD_KINDS.map((kind) => [KINDS[kind].plural, written(kind)])) as CountsByKind), conflicts };
      if (definition.steps.length === 0) return { result, workflow: null };
      return { result, workflow: await this.completed(await this.changed(this.workflows.run(definition, context))) };
    });
  }

  createToken(input: { name: string; access: AccessLevel }): Promise<{ token: AccessTokenInfo; secret: string }> {
    return this.parts.tokens.create(input, this.issueContext());
  }

  listTokens(): Promise<AccessTokenInfo[]> {
    return this.parts.tokens.list(this.issueContext());
  }

  revokeToken(name: string): Promise<AccessTokenInfo> {
    return this.parts.tokens.revoke(name, this.issueContext());
  }

  authenticateToken(secret: string): Promise<Principal | null> {
    return this.parts.tokens.authenticate(secret);
  }

  async exportBundle(): Promise<Bundle> {
    const records = await Promise.all(RECORD_KINDS.map(async (kind) => [KINDS[kind].plural, (await this.serviceOf(kind).list()).filter((r) => !r.isTemplate)] as const));
    return { schemaVersion: 1, exportedAt: new Date().toISOString(), ...(Object.fromEntries(records) as unknown as Omit<Bundle, 'schemaVersion' | 'exportedAt'>) };
  }

  /** A built-in workflow's run when it completed; otherwise its error, rethrown with the workflow named. */
  private async completed(run: WorkflowRun): Promise<WorkflowRun> {
    if (run.status === WorkflowStatus.COMPLETED) return run;
    const cause = run.error ?? { code: 'INTERNAL_ERROR', message: 'unknown failure', details: [], context: {} };
    const undone = run.status === WorkflowStatus.COMPENSATED ? 'every change was undone' : `could not undo steps ${run.unresolved.join(', ')}`;
    const message = `workflow ${run.name} (${run.id}) ${run.status}: ${cause.message}; ${undone}`;
    const options = { details: cause.details, context: { ...cause.context, workflowId: run.id, workflowStatus: run.status, unresolved: run.unresolved } };
    // A conflict keeps carrying the current record, as it does outside a workflow.
    if (cause.code === 'CONFLICT') throw new ConflictError(message, cause.current, options);
    throw new AgentcfgError(cause.code as ErrorCode, message, options);
  }

  async compact(): Promise<RecordKind[]> {
    return (await this.store.compact?.()) ?? [];
  }

  health(): StoreHealth {
    return this.store.health?.() ?? { degraded: false };
  }

  async close(options?: CloseOptions): Promise<void> {
    await this.store.close?.(options);
  }

  async summary(): Promise<ConfigurationSummary> {
    const [personalities, roles, agents] = await Promise.all([this.personalities.list(), this.roles.list(), this.agents.list()]);
    const templates = (records: { isTemplate: boolean }[]) => records.filter((r) => r.isTemplate).length;
    return {
      dataDir: this.dataDir,
      personalities: { total: personalities.length, templates: templates(personalities) },
      roles: { total: roles.length, templates: templates(roles) },
      agents: { total: agents.length },
    };
  }
}
