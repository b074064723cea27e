import { KINDS } from '../domain/kinds/registry';
import { deepFreeze } from '../domain/deep-freeze';
import { AgentcfgError, hasErrorCode, isAgentcfgError } from '../domain/errors/agentcfg-error';
import { ConflictError, NotFoundError } from '../domain/errors/errors';
import { newId } from '../domain/ids';
import type { AnyRecord } from '../domain/records';
import { parseInput } from '../domain/validation/parse-input';
import { resolveReferences } from '../domain/workflow/step-references';
import {
  deleteStepInputSchema,
  isCustomStep,
  updateStepInputSchema,
  type CustomStep,
  type RecordStep,
  type StepService,
  type WorkflowStep,
} from '../domain/workflow/workflow-definition';
import type { IServicePolicies, PolicyEvent } from '../resilience/service-policies';
import type { IRecordService, WriteOptions } from '../services/shared/record-service';
import { typedIfEnvironmental } from '../storage/io-errors';
import { recordError } from './recorded-error';
import type { StepIntent } from './workflow-run';
import type { SecurityContext } from '../security/security-context';

/** The record services a workflow step can call, by name. */
export type StepServices = Record<StepService, IRecordService<AnyRecord, unknown, unknown>>;

/** How far a step got: attempts made, and the journal writes of policy events still in flight. */
interface Progress {
  attempts: number;
  policyLog: Promise<unknown>;
  /** An attempt timed out: its write may still have happened. */
  timedOut?: boolean;
  /** The service call returned: its write happened, whatever fails after. */
  returned?: boolean;
}

/**
 * A promise whose failure is seen when it is awaited, later: marked handled now, so a journal write that fails
 * meanwhile (a full disk) is not an unhandled rejection that ends the process.
 */
export function awaitedLater<T>(promise: Promise<T>): Promise<T> {
  promise.catch(() => undefined);
  return promise;
}

/** A fault of the storage met part way through a write (not before it): the change may be in place. */
function mayHaveWritten(error: unknown): boolean {
  for (let e = error, depth = 0; e !== undefined && e !== null && depth < 10; e = (e as Error).cause, depth++) {
    if (hasErrorCode(e, 'STORAGE_UNAVAILABLE')) return e.context.changed !== false;
  }
  return false;
}

/** A value as JSON keeps it (functions and undefined dropped), for the journal. */
function jsonSafe(value: unknown): unknown {
  return value === undefined ? null : (JSON.parse(JSON.stringify(value)) as unknown);
}

/** Where a step appends what it does. */
export interface StepJournal {
  append(event: 'step.intent' | 'step.completed' | 'step.failed' | 'step.policy', data: Record<string, unknown>): Promise<unknown>;
}

/** One forward step: plan it, journal the intent (the undo information) before acting, act, journal the result. */
export class StepExecutor {
  constructor(
    private readonly services: StepServices,
    private readonly policies: IServicePolicies,
  ) {}

  /** Runs the step; returns its frozen output, or throws an error that names the workflow, step and attempt. */
  async execute(workflowId: string, step: WorkflowStep, outputs: ReadonlyMap<string, unknown>, journal: StepJournal, context: SecurityContext): Promise<unknown> {
    const started = Date.now();
    const progress: Progress = { attempts: 0, policyLog: Promise.resolve() };
    try {
      const input = deepFreeze(resolveReferences(step.input, outputs, step.id));
      const output = isCustomStep(step)
        ? await this.executeCustom(step, input, journal, progress)
        : await this.executeOnService(workflowId, step, input, journal, progress, context);
      progress.returned = true;
      await progress.policyLog;
      await journal.append('step.completed', { stepId: step.id, output: jsonSafe(output), attempts: progress.attempts, durationMs: Date.now() - started });
      return output;
    } catch (error) {
      const failure = this.withContext(error, workflowId, step, progress.attempts);
      await progress.policyLog;
      // Services write last, under the lock, so a failure happened before the write, unless the attempt timed out,
      // the write itself failed part way (a storage fault not known to have changed nothing), or it was the
      // journal that failed after the service returned: then compensation looks at what is there.
      const notWritten = !progress.timedOut && !progress.returned && !mayHaveWritten(error);
      await journal.append('step.failed', { stepId: step.id, error: recordError(failure), attempts: progress.attempts, durationMs: Date.now() - started, notWritten });
      throw failure;
    }
  }

  /** A custom step runs its own code once; its undo is its own `compensate`. */
  private async executeCustom(step: CustomStep, input: unknown, journal: StepJournal, progress: Progress): Promise<unknown> {
    const intent: StepIntent = { stepId: step.id, service: 'custom', action: 'custom', targetId: step.id, before: null, after: null, input: jsonSafe(input) };
    await journal.append('step.intent', intent as unknown as Record<string, unknown>);
    progress.attempts = 1;
    return deepFreeze(await step.custom.run(input));
  }

  private async executeOnService(
    workflowId: string,
    step: RecordStep,
    input: unknown,
    journal: StepJournal,
    progress: Progress,
    context: SecurityContext,
  ): Promise<AnyRecord> {
    // Only a call that timed out may still write behind our back; every other failure happens before the write.
    let mayHaveWritten = false;
    const onEvent = (event: PolicyEvent) => {
      if (event.kind === 'timeout') mayHaveWritten = progress.timedOut = true;
      progress.policyLog = awaitedLater(progress.policyLog.then(() => journal.append('step.policy', { stepId: step.id, event })));
    };
    const intent = deepFreeze(await this.plan(workflowId, step, input));
    await journal.append('step.intent', intent as unknown as Record<string, unknown>);
    const output = await this.policies.execute(
      step.service,
      async (signal) => {
        const applied = mayHaveWritten ? await this.alreadyApplied(workflowId, intent) : null;
        if (applied) return applied;
        try {
          return await this.act(intent, { signal, context, workflowStep: { workflowId, stepId: step.id } });
        } catch (error) {
          // The abandoned attempt may have finished its write while this one waited for the lock.
          const raced = hasErrorCode(error, 'CONFLICT') || hasErrorCode(error, 'NOT_FOUND');
          const late = mayHaveWritten && raced ? await this.alreadyApplied(workflowId, intent) : null;
          if (late) return late;
          throw error;
        }
      },
      { onEvent, onAttempt: (n) => (progress.attempts = n) },
    );
    return deepFreeze(parseInput(KINDS[step.service].recordSchema, output, `${step.service} output`)) as AnyRecord;
  }

  /** Works out what the step will change, reading the record as it is now (the undo's "before"). */
  private async plan(workflowId: string, step: RecordStep, input: unknown): Promise<StepIntent> {
    const service = this.services[step.service];
    const plannedAt = new Date().toISOString();
    const read = (id: string) => this.policies.execute(step.service, () => service.get(id, { workflowId }));
    const base = { stepId: step.id, service: step.service, action: step.action };
    if (step.action === 'create') {
      const body = input as { id?: string };
      const targetId = body.id ?? newId();
      const before = await read(targetId);
      return { ...base, targetId, before, after: { version: 1, updatedAt: plannedAt }, input: { ...body, id: targetId } };
    }
    const schema = step.action === 'update' ? updateStepInputSchema : deleteStepInputSchema;
    const parsed = parseInput(schema, input, `${step.action} step input`, { workflowId, stepId: step.id }) as { id: string; expectedVersion?: number; strategy?: string };
    const { id, expectedVersion } = parsed;
    const before = await read(id);
    if (!before) throw new NotFoundError(step.service, id, { operation: step.action });
    // An update against an old version is the service's to reconcile (or refuse, naming the fields); a delete's is refused here.
    if (step.action === 'delete' && expectedVersion !== undefined && expectedVersion !== before.version) {
      throw new ConflictError(`${step.service} '${id}' is at version ${before.version}, not the expected ${expectedVersion}`, before, { context: { operation: step.action } });
    }
    const after = step.action === 'update' ? { version: before.version + 1, updatedAt: plannedAt } : null;
    return { ...base, targetId: id, before, after, input };
  }

  private act(intent: StepIntent, call: Pick<WriteOptions, 'signal' | 'context' | 'workflowStep'>): Promise<AnyRecord> {
    const service = this.services[intent.service as StepService];
    const before = intent.before as AnyRecord | null;
    const now = intent.after?.updatedAt;
    switch (intent.action) {
      case 'custom':
        throw new Error('custom steps do not act through a service');
      case 'create':
        return service.create(intent.input, { ...call, ...(now ? { now } : {}) });
      case 'update': {
        const { patch, expectedVersion, strategy, rules } = intent.input as { patch: unknown } & Pick<WriteOptions, 'expectedVersion' | 'strategy' | 'rules'>;
        const reconcile = { expectedVersion: expectedVersion ?? before?.version, ...(strategy ? { strategy } : {}), ...(rules ? { rules } : {}) };
        return service.update(intent.targetId, patch, { ...call, ...reconcile, ...(now ? { now } : {}) });
      }
      case 'delete':
        return service.delete(intent.targetId, { ...call, expectedVersion: before?.version });
    }
  }

  /** After a timeout, the abandoned attempt may have written after all: then its result stands. */
  private async alreadyApplied(workflowId: string, intent: StepIntent): Promise<AnyRecord | null> {
    const current = await this.services[intent.service as StepService].get(intent.targetId, { workflowId });
    if (intent.after === null) return current === null ? (intent.before as AnyRecord) : null;
    return current?.version === intent.after.version && current.updatedAt === intent.after.updatedAt ? current : null;
  }

  private withContext(thrown: unknown, workflowId: string, step: WorkflowStep, attempt: number): AgentcfgError {
    const error = typedIfEnvironmental(thrown);
    const [service, operation] = isCustomStep(step) ? ['custom', 'custom'] : [step.service, step.action];
    const context = { workflowId, stepId: step.id, service, operation, attempt };
    if (isAgentcfgError(error)) {
      return new AgentcfgError(error.code, `step '${step.id}' (${service} ${operation}) failed: ${error.message}`, {
        details: error.details,
        context: { ...error.context, ...context },
        cause: error,
      });
    }
    return new AgentcfgError('INTERNAL_ERROR', `step '${step.id}' (${service} ${operation}) failed: ${String(error)}`, { context, cause: error });
  }
}
