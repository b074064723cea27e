import { Mutex } from 'async-mutex';
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { inject, injectable } from 'inversify';
import { hasErrorCode } from '../domain/errors/agentcfg-error';
import { idSchema } from '../domain/ids';
import { parseInput } from '../domain/validation/parse-input';
import { isCustomStep, WorkflowStatus, type WorkflowDefinition, type WorkflowStep } from '../domain/workflow/workflow-definition';
import { ILogger } from '../logging/logger';
import { IServicePolicies } from '../resilience/service-policies';
import { IRecordStore, isLostTransaction, type ClaimedJournal, type IWorkflowJournals } from '../storage/record-store';
import { IRecordServices } from '../services/shared/record-services';
import { Compensator } from './compensator';
import { preflight } from './preflight';
import { recordError } from './recorded-error';
import { StepExecutor, type StepServices } from './step-executor';
import { pendingCompensations, replayJournal, type Compensation, type WorkflowRun } from './workflow-run';
import type { IWorkflowService, RecoverOptions, RecoveryReport, WorkflowSummary } from './workflow-service';
import type { IAuditLog } from '../audit/audit-log';
import { IAccessControl } from '../security/access-control';
import type { SecurityContext } from '../security/security-context';
import { AuditedJournal, type JournalWriter } from './audited-journal';
import { guarded } from '../security/guarded';
import { typedIfEnvironmental } from '../storage/io-errors';

/** The definition as the journal keeps it: custom steps' code cannot be stored, only their ids and inputs. */
function jsonDefinition(definition: WorkflowDefinition): unknown {
  return { name: definition.name, steps: definition.steps.map((s) => (isCustomStep(s) ? { id: s.id, custom: true, input: s.input, dependsOn: s.dependsOn } : s)) };
}

function ownerOf(run: WorkflowRun): { owner?: string } {
  return run.owner.actor === undefined ? {} : { owner: run.owner.actor };
}

/** How many times in all a workflow whose transaction is lost is run. */
const WHOLE_RUNS = 4;

const UNFINISHED: ReadonlySet<string> = new Set([WorkflowStatus.PENDING, WorkflowStatus.RUNNING, WorkflowStatus.COMPENSATING]);

/** The saga engine over the record services, journaled in the store. */
@injectable()
export class WorkflowEngine implements IWorkflowService {
  private readonly journals: IWorkflowJournals;
  private readonly audit: IAuditLog;
  private readonly executor: StepExecutor;
  private readonly compensator: Compensator;
  /**
   * Workflows of one process run one at a time, in the order they were asked for. Their steps' commits are
   * serialised by the store anyway, so running them side by side gains nothing; it only makes each step queue behind
   * the others' steps, where the wait counts against the step's call timeout, and under load (32 at once, say)
   * the timeouts open the circuit breakers and refuse workflows that would have succeeded. Waiting here, before a
   * workflow starts, counts against nothing.
   */
  private readonly oneAtATime = new Mutex();
  /**
   * How many custom steps (or their undos) are running: a workflow they start must not wait for the one running
   * them. A counter rather than AsyncLocalStorage, whose promise hooks would slow every call of the process; the
   * price is that a workflow asked for elsewhere while a custom step runs does not queue either.
   */
  private customCodeRunning = 0;

  constructor(
    @inject(IRecordStore) private readonly store: IRecordStore,
    @inject(IRecordServices) records: IRecordServices,
    @inject(IServicePolicies) policies: IServicePolicies,
    @inject(ILogger) private readonly logger: ILogger,
    @inject(IAccessControl) private readonly access: IAccessControl,
  ) {
    this.journals = store.journals;
    this.audit = store.audit;
    // Every kind of the registry is a step service.
    const services: StepServices = records;
    this.executor = new StepExecutor(services, policies);
    this.compensator = new Compensator(services, policies);
  }

  async run(input: unknown, securityContext: SecurityContext): Promise<WorkflowRun> {
    // A definition refused by preflight is audited; a run's own failures are its steps' to audit.
    const { context, planned } = await guarded({ access: this.access, audit: this.audit }, securityContext, 'run-workflow', { action: 'workflow.run' }, async (checked) => ({ context: checked, planned: preflight(input) }));
    // The journal's own writes are not storage-guarded one by one: a fault of the environment gets its type here.
    const execute = () => this.executeWhole(planned, context).catch((error: unknown) => Promise.reject(typedIfEnvironmental(error)));
    if (this.customCodeRunning > 0) return execute();
    return this.oneAtATime.runExclusive(execute);
  }

  /**
   * Runs a checked workflow. One whose steps all change records runs as one transaction where the store can (so a
   * client that dies part way leaves nothing of it); when that transaction is lost before it is stored, nothing of
   * the run was, and the whole workflow is run again, a few times at most.
   */
  private async executeWhole(planned: ReturnType<typeof preflight>, context: SecurityContext): Promise<WorkflowRun> {
    const oneTransaction = !planned.order.some(isCustomStep);
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.execute(planned, context, oneTransaction);
      } catch (error) {
        if (!isLostTransaction(error) || attempt >= WHOLE_RUNS) throw error;
        this.logger.warn({ err: error, attempt }, `workflow ${planned.definition.name}: its transaction was lost, nothing of it stored; running it again`);
        await new Promise((resolve) => setTimeout(resolve, 50 * 2 ** attempt));
      }
    }
  }

  /** Runs a checked workflow: journal, steps, and compensation when a step fails. */
  private async execute({ definition, order }: ReturnType<typeof preflight>, context: SecurityContext, oneTransaction: boolean): Promise<WorkflowRun> {
    const id = randomUUID();
    await this.store.ensureRoom?.(order.length);
    const file = await this.journals.begin(id, { oneTransaction, context });
    const journal = new AuditedJournal(file, this.audit, context, id);
    try {
      await journal.append('workflow.started', {
        name: definition.name,
        owner: { pid: process.pid, host: hostname(), actor: context.actor, role: context.access, requestId: context.requestId },
        steps: order.map((s) => (isCustomStep(s) ? { id: s.id, service: 'custom', action: 'custom', dependsOn: s.dependsOn ?? [] } : { id: s.id, service: s.service, action: s.action, dependsOn: s.dependsOn ?? [] })),
        definition: jsonDefinition(definition),
      });
      await this.setStatus(journal, id, WorkflowStatus.RUNNING);
      const customUndo = new Map<string, () => Promise<void>>();
      const failure = await this.runSteps(id, order, journal, customUndo, context);
      if (failure === undefined) {
        await this.setStatus(journal, id, WorkflowStatus.COMPLETED);
      } else {
        await this.setStatus(journal, id, WorkflowStatus.COMPENSATING, { error: recordError(failure) });
        // Undo from what the journal says, exactly as recovery would after a crash.
        await this.finishCompensation(journal, id, pendingCompensations(file.entries), context, customUndo);
      }
    } finally {
      await journal.close();
    }
    // This run wrote the whole journal (it held the workflow's claim throughout): read it back from what it wrote.
    return replayJournal(id, file.entries);
  }

  async get(id: string, securityContext: SecurityContext): Promise<WorkflowRun | null> {
    const request = { action: 'workflow.show', target: { kind: 'workflow', id: id.slice(0, 100) }, workflowId: id.slice(0, 100) };
    await this.access.authorize(securityContext, 'read', request);
    parseInput(idSchema, id, 'workflow id', { service: 'workflow', operation: 'get' });
    const run = await this.read(id);
    if (run) await this.access.authorizeWorkflow(securityContext, 'read', run.owner.actor, request);
    return run;
  }

  async list(securityContext: SecurityContext): Promise<WorkflowRun[]> {
    const context = await this.access.authorize(securityContext, 'read', { action: 'workflow.list' });
    return (await this.readAll()).filter((run) => this.access.ownsOrManages(context, run.owner.actor));
  }

  async summaries(securityContext: SecurityContext): Promise<WorkflowSummary[]> {
    await this.access.authorize(securityContext, 'read', { action: 'workflow.summaries' });
    const { runs, unreadable } = await this.readEach();
    return [
      ...runs.map((run) => ({ id: run.id, name: run.name, status: run.status, unresolved: run.unresolved, owner: run.owner.actor })),
      ...unreadable.map(({ id, reason }) => ({ id, name: '?', status: WorkflowStatus.FAILED, unresolved: [], owner: undefined, unreadable: reason })),
    ];
  }

  async recover(options: RecoverOptions, securityContext: SecurityContext): Promise<RecoveryReport[]> {
    return this.recoverAll(options, securityContext).catch((error: unknown) => Promise.reject(typedIfEnvironmental(error)));
  }

  private async recoverAll(options: RecoverOptions, securityContext: SecurityContext): Promise<RecoveryReport[]> {
    const context = await this.access.authorize(securityContext, 'run-workflow', { action: 'workflow.recover' });
    // Unended ones by their marker, not only by a lock left behind: a power cut can lose the lock and keep the journal.
    const ids = options.includeFailed ? await this.journals.list() : await this.journals.listUnended();
    const reports: RecoveryReport[] = [];
    for (const id of ids) {
      try {
        const report = await this.recoverOne(id, options, context);
        if (report) reports.push(report);
      } catch (error) {
        // One journal that cannot be trusted must not keep the others from being recovered.
        if (!hasErrorCode(error, 'INTEGRITY_ERROR') && !hasErrorCode(error, 'FORBIDDEN') && !hasErrorCode(error, 'VALIDATION_ERROR')) throw error;
        this.logger.error({ workflowId: id, err: error }, `workflow ${id} cannot be recovered: ${(error as Error).message}`);
        reports.push({ workflowId: id, name: '?', from: WorkflowStatus.FAILED, to: WorkflowStatus.FAILED, compensated: [], unresolved: [], skipped: `its journal cannot be read: ${(error as Error).message}` });
      }
    }
    return reports;
  }

  private async read(id: string): Promise<WorkflowRun | null> {
    const parsed = await this.journals.read(id);
    return parsed && parsed.entries.length > 0 ? replayJournal(id, parsed.entries, parsed.badLine) : null;
  }

  /** Every readable run, newest first; a journal that cannot be trusted is left out (and logged), not fatal to the rest. */
  private async readAll(): Promise<WorkflowRun[]> {
    return (await this.readEach()).runs;
  }

  private async readEach(): Promise<{ runs: WorkflowRun[]; unreadable: { id: string; reason: string }[] }> {
    const runs: WorkflowRun[] = [];
    const unreadable: { id: string; reason: string }[] = [];
    for (const id of await this.journals.list()) {
      try {
        const run = await this.read(id);
        if (run) runs.push(run);
      } catch (error) {
        if (!hasErrorCode(error, 'INTEGRITY_ERROR') && !hasErrorCode(error, 'FORBIDDEN') && !hasErrorCode(error, 'VALIDATION_ERROR')) throw error;
        this.logger.error({ workflowId: id, err: error }, `workflow ${id} cannot be read: ${(error as Error).message}`);
        unreadable.push({ id, reason: (error as Error).message });
      }
    }
    return { runs: runs.sort((a, b) => b.startedAt.localeCompare(a.startedAt)), unreadable };
  }

  /**
   * Runs steps in order until one fails; returns that failure, or undefined when all completed. Custom steps
   * register their own undo: `compensate(output)` once they ran, nothing if their own code failed.
   */
  private async runSteps(
    id: string,
    order: WorkflowStep[],
    journal: JournalWriter,
    customUndo: Map<string, () => Promise<void>>,
    context: SecurityContext,
  ): Promise<unknown> {
    const outputs = new Map<string, unknown>();
    for (const step of order) {
      try {
        const run = () => this.executor.execute(id, step, outputs, journal, context);
        const output = isCustomStep(step) ? await this.inCustomCode(run) : await run();
        outputs.set(step.id, output);
        if (isCustomStep(step)) customUndo.set(step.id, () => this.inCustomCode(() => step.custom.compensate(output)));
      } catch (error) {
        if (isCustomStep(step)) customUndo.set(step.id, async () => undefined);
        return error;
      }
    }
    return undefined;
  }

  private async inCustomCode<T>(work: () => Promise<T>): Promise<T> {
    this.customCodeRunning++;
    try {
      return await work();
    } finally {
      this.customCodeRunning--;
    }
  }

  /** Recovers one workflow the context may act on (its own, or any for an admin); others are left alone. */
  private async recoverOne(id: string, options: RecoverOptions, context: SecurityContext): Promise<RecoveryReport | null> {
    const seen = await this.read(id);
    if (!seen || !this.access.ownsOrManages(context, seen.owner.actor)) return null;
    // A finished journal needs nothing, unless it ends in a torn line to cut off.
    const unfinished = UNFINISHED.has(seen.status) || (options.includeFailed === true && seen.status === WorkflowStatus.FAILED);
    if (!unfinished && seen.tornLine === undefined) {
      if (!UNFINISHED.has(seen.status)) await this.journals.markEnded(id); // a marker a crash left after the end
      return null;
    }
    let claimed: ClaimedJournal | null;
    try {
      claimed = await this.journals.resume(id);
    } catch (error) {
      if (!hasErrorCode(error, 'UNAVAILABLE')) throw error;
      const run = await this.read(id);
      return run && UNFINISHED.has(run.status) ? { workflowId: id, name: run.name, from: run.status, to: run.status, compensated: [], unresolved: [], skipped: 'a live process is running it', ...ownerOf(run) } : null;
    }
    if (!claimed) return null;
    const earlier = [...claimed.entries];
    const journal = new AuditedJournal(claimed, this.audit, context, id);
    try {
      if (earlier.length === 0) return null;
      const run = replayJournal(id, earlier);
      const wanted = UNFINISHED.has(run.status) || (options.includeFailed === true && run.status === WorkflowStatus.FAILED);
      if (!wanted) return null;
      this.logger.warn({ workflowId: id, status: run.status }, `recovering workflow ${id} (${run.name}) left ${run.status}`);
      const error = run.error ?? { code: 'UNAVAILABLE', message: `the process running workflow ${id} stopped while it was ${run.status}`, details: [], context: { workflowId: id } };
      await this.setStatus(journal, id, WorkflowStatus.COMPENSATING, { error, recovery: true });
      const result = await this.finishCompensation(journal, id, pendingCompensations(earlier), context);
      return { workflowId: id, name: run.name, from: run.status, to: result.unresolved.length > 0 ? WorkflowStatus.FAILED : WorkflowStatus.COMPENSATED, ...result, ...ownerOf(run) };
    } finally {
      await journal.close();
    }
  }

  private async finishCompensation(journal: JournalWriter, id: string, intents: Compensation[], context: SecurityContext, customUndo: ReadonlyMap<string, () => Promise<void>> = new Map()) {
    const result = await this.compensator.compensate(intents, journal, { context, workflowId: id }, customUndo);
    if (result.unresolved.length > 0) {
      await this.setStatus(journal, id, WorkflowStatus.FAILED, { unresolved: result.unresolved });
    } else {
      await this.setStatus(journal, id, WorkflowStatus.COMPENSATED);
    }
    return result;
  }

  private async setStatus(journal: JournalWriter, id: string, status: WorkflowStatus, extra: Record<string, unknown> = {}): Promise<void> {
    await journal.append('workflow.status', { status, ...extra });
    if (!UNFINISHED.has(status)) {
      await this.journals.markEnded(id).catch((error: unknown) => this.logger.warn({ workflowId: id, err: error }, `workflow ${id} ended; its .active marker stays (start-up recovery will read its journal)`));
    }
    const log = status === WorkflowStatus.FAILED ? 'error' : status === WorkflowStatus.COMPENSATING ? 'warn' : 'info';
    this.logger[log]({ workflowId: id, status, ...extra }, `workflow ${id}: ${status}`);
  }
}
