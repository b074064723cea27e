import { expect } from 'chai';
import fc from 'fast-check';
import type { ModelledKind as RecordKind } from './modelled-kind';
import { isAgentcfgError, type AgentcfgError } from '../../../src/domain/errors/agentcfg-error';
import type { WorkflowRun } from '../../../src/workflow/workflow-run';
import { callOrdinal } from '../../support/coordination';
import type { Misbehaviour } from '../../support/service-fakes';
import { applyCascadeDelete, applyConfigurationUpdate, applyRecordOp, cloneModel, replaceModel, staleAgents, usersOf, type ConfigurationModel, type Outcome, type RecordOp } from './configuration-model';
import { leftovers, readModel, type ModelSystem } from './model-system';
import { bodyOf, describeOp, describeSpec, opSpec, patchOf, resolveOp, stepOf, type OpSpec } from './record-ops';
import { ENVIRONMENT_ERRNOS, type StorageFault } from '../../support/faulty-file-system';

type ModelCommand = fc.AsyncCommand<ConfigurationModel, ModelSystem>;

/** What the commands did across all runs, for the figures line. */
export const modelStats = {
  commands: 0,
  completed: 0,
  refused: 0,
  workflows: 0,
  faults: 0,
  recovered: 0,
  /** Storage faults armed, and those that fired (the command made at least k faultable calls). */
  storageArmed: 0,
  storageFired: 0,
  /** Commands a fired storage fault made fail with STORAGE_UNAVAILABLE: records left as before, or found as after. */
  storageRefused: 0,
  storageUnchanged: 0,
  storageApplied: 0,
  /** Restarts after a fired storage fault (a new container: start-up recovery). */
  restarts: 0,
};

/**
 * A storage fault a command arms: the k-th faultable file-system call from the command's start fails with errno
 * (if the command makes fewer calls, it never fires). After one that fired, the system goes on in the same
 * container, or (`restart`) in a new one on the same folder, as the next CLI command would.
 */
export interface StoragePlan extends StorageFault {
  restart: boolean;
}

function describeStorage(plan: StoragePlan | undefined): string {
  return plan ? ` [storage: ${plan.errno} at call ${plan.k}${plan.restart ? ', then restart' : ''}]` : '';
}

const PERMANENT: Misbehaviour = { kind: 'permanent', code: 'INTERNAL_ERROR', message: 'injected fault' };

/** The error a call failed with, or null; anything that is not an AgentcfgError fails the test. */
async function failureOf(work: Promise<unknown>): Promise<AgentcfgError | null> {
  try {
    await work;
    return null;
  } catch (error) {
    if (!isAgentcfgError(error)) throw error;
    return error;
  }
}

/** The records a model holds, in a form two models compare by (key order aside). */
function recordsOf(model: ConfigurationModel): string {
  return JSON.stringify(
    (['personality', 'role', 'agent'] as const).map((kind) =>
      [...model[kind]]
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([id, r]) => [id, r.version, r.mark, r.template, r.personalityId ?? null, r.roleId ?? null, r.stamp ? [r.stamp.personality, r.stamp.role] : null]),
    ),
  );
}

/** Rejections nothing handled in time, while `watchUnhandledRejections` watches: in a CLI process each one ends it. */
const unhandled: unknown[] = [];

/**
 * Collects the promise rejections left unhandled until the disposer is called. Mocha swallows them, but a plain
 * Node process (the CLI) dies of the first, in the middle of whatever it was writing; so a command leaving one fails.
 */
export function watchUnhandledRejections(): () => void {
  const collect = (reason: unknown) => unhandled.push(reason);
  process.on('unhandledRejection', collect);
  return () => process.off('unhandledRejection', collect);
}

/** After every command: no rejection left unhandled, the records exactly the model's, and verify naming exactly the agents the model calls stale. */
export async function checkAgainstModel(model: ConfigurationModel, real: ModelSystem, after: string): Promise<void> {
  await new Promise((resolve) => setImmediate(resolve));
  const lost = unhandled.splice(0).map((reason) => String((reason as Error)?.stack ?? reason).split('\n').slice(0, 4).join(' | '));
  expect(lost.length, `rejections left unhandled during ${after} (a CLI process would die of the first):\n${lost.join('\n')}`).to.equal(0);
  const actual = await readModel(real.configuration);
  for (const kind of ['personality', 'role', 'agent'] as const) {
    expect([...actual[kind].keys()].sort(), `${kind} ids after ${after}`).to.deep.equal([...model[kind].keys()].sort());
    for (const [id, record] of model[kind]) expect(actual[kind].get(id), `${kind} ${id} after ${after}`).to.deep.equal(record);
  }
  const report = await real.configuration.verify();
  const findings = report.findings.map((f) => `${f.code}:${f.records[0]?.id}`).sort();
  expect(findings, `verify after ${after}`).to.deep.equal(staleAgents(model).map((id) => `STALE_RESOLUTION:${id}`));
}

/** Runs `work` with the service faults `arm` sets and the storage fault planned, disarming them all whatever happens. */
async function withFaults<T>(real: ModelSystem, arm: () => void, work: () => Promise<T>, storage?: StoragePlan): Promise<T> {
  arm();
  if (storage) {
    modelStats.storageArmed++;
    real.storage.arm(storage);
  }
  try {
    return await work();
  } finally {
    real.faults.disarm();
    real.storage.disarm();
  }
}

/** The label of a command whose storage fault fired (where it fired), or undefined when none fired. */
function firedLabel(real: ModelSystem, storage: StoragePlan | undefined, label: string): string | undefined {
  const fired = storage && real.storage.fired;
  return fired && `${label} [storage: ${storage.errno} fired at call ${storage.k}, ${fired.call} of ${fired.file}]`;
}

/** How a command whose storage fault fired ended: its error (code, message, context), or null for a success. */
interface FaultedOutcome {
  code: string;
  message: string;
  context: Record<string, unknown>;
}

/**
 * Settles a command in which the planted storage fault fired. The fault may land before the change, inside it,
 * or after its commit point (a folder fsync after the rename), so the honest expectation is: the model's own
 * outcome, or STORAGE_UNAVAILABLE; never another code (an INTERNAL_ERROR only as the injected service fault).
 * A success leaves the records as the model's "after" with nothing to finish. After a failure the system finishes
 * what the fault left (start-up recovery when restarted, then recoverWorkflows, FAILED ones included): the records
 * are then exactly as before (the model's expectation for a refused write: unchanged, and the only one when the
 * model refuses too, or the error says nothing was changed or everything undone) or exactly the model's "after"
 * (the fault came after the commit point: the model takes the change). Never half; verify clean; no lock or temp
 * file left behind.
 */
async function settleStorageFault(
  model: ConfigurationModel,
  next: ConfigurationModel,
  expected: Outcome,
  failure: FaultedOutcome | null,
  real: ModelSystem,
  label: string,
  plan: StoragePlan,
): Promise<void> {
  modelStats.storageFired++;
  const actual = failure?.code ?? null;
  expect(actual, `outcome of ${label}: ${failure?.message ?? 'succeeded'}`).to.be.oneOf([...new Set([expected, 'STORAGE_UNAVAILABLE'])]);
  if (actual === 'INTERNAL_ERROR') expect(failure?.message, `the INTERNAL_ERROR of ${label} is the injected one`).to.include('injected fault');
  const after = expected === null ? next : model;
  if (failure === null) {
    replaceModel(model, after);
    modelStats.completed++;
    await checkAgainstModel(model, real, label);
    if (plan.restart) {
      modelStats.restarts++;
      await real.restart();
      await checkAgainstModel(model, real, `${label}, then a restart`);
    }
  } else {
    if (plan.restart) {
      modelStats.restarts++;
      await real.restart();
    }
    await real.configuration.recoverWorkflows({ includeFailed: true });
    const records = recordsOf(await readModel(real.configuration));
    const unchanged = records === recordsOf(model);
    const applied = !unchanged && records === recordsOf(after);
    const undone = failure.context.changed === false || failure.context.workflowStatus === 'COMPENSATED' || failure.context.workflowStatus === 'FAILED';
    const where = `${label}, refused with ${actual}${failure.context.changed === false ? ' (nothing changed)' : ''}${undone && failure.context.changed !== false ? ' (undone)' : ''}${plan.restart ? ', then a restart' : ''}, and recovered`;
    if (actual === 'STORAGE_UNAVAILABLE') {
      modelStats.storageRefused++;
      if (applied && !undone) modelStats.storageApplied++;
      else modelStats.storageUnchanged++;
    }
    // Exactly as before, or (a storage fault said to have maybe changed something) exactly as after; else the
    // comparison with "before" below shows what is half.
    if (applied && actual === 'STORAGE_UNAVAILABLE' && !undone) {
      replaceModel(model, after);
      modelStats.completed++;
    } else modelStats.refused++;
    await checkAgainstModel(model, real, where);
  }
  expect(await leftovers(real.configuration.dataDir), `locks or temp files left behind after ${label}`).to.deep.equal([]);
}

/** Checks a call's outcome; when it succeeded, the simulated model becomes the model; then checks the folder. */
async function settle(
  model: ConfigurationModel,
  next: ConfigurationModel,
  expected: Outcome,
  failure: AgentcfgError | null,
  real: ModelSystem,
  label: string,
  storage?: StoragePlan,
): Promise<void> {
  const faulted = firedLabel(real, storage, label);
  if (storage && faulted) return settleStorageFault(model, next, expected, failure && { code: failure.code, message: failure.message, context: failure.context }, real, faulted, storage);
  const actual = failure?.code ?? null;
  expect(actual, `outcome of ${label}`).to.equal(expected);
  if (expected === null) {
    replaceModel(model, next);
    modelStats.completed++;
  } else modelStats.refused++;
  await checkAgainstModel(model, real, label);
}

/** A create through the configuration service; with `fault`, the service's create fails. */
class CreateCommand implements ModelCommand {
  constructor(
    readonly spec: OpSpec,
    readonly fault: boolean,
    readonly storage?: StoragePlan,
  ) {}
  check = () => true;
  async run(model: ConfigurationModel, real: ModelSystem): Promise<void> {
    modelStats.commands++;
    const op = resolveOp(this.spec, model) as RecordOp & { action: 'create' };
    const next = cloneModel(model);
    const expected = this.fault ? 'INTERNAL_ERROR' : applyRecordOp(next, op);
    const body = bodyOf(op) as never;
    const { configuration } = real;
    const create = () => (op.kind === 'personality' ? configuration.createPersonality(body) : op.kind === 'role' ? configuration.createRole(body) : configuration.createAgent(body));
    const arm = () => this.fault && (modelStats.faults++, real.faults.arm(op.kind, 'create', PERMANENT));
    const failure = await withFaults(real, arm, () => failureOf(create()), this.storage);
    await settle(model, next, expected, failure, real, `${describeOp(op)}${this.fault ? ' [create fails]' : ''}${describeStorage(this.storage)}`, this.storage);
  }
  toString(): string {
    return `${describeSpec(this.spec)}${this.fault ? ' [create fails]' : ''}${describeStorage(this.storage)}`;
  }
}

/** An update through the configuration service (re-resolving the agents that use it); optionally one re-resolution fails. */
class UpdateCommand implements ModelCommand {
  constructor(
    readonly spec: OpSpec,
    readonly guard: 'none' | 'current' | 'stale',
    /** Fail the n-th agent's re-resolution (when agents use the record). */
    readonly failAgent: number,
    readonly storage?: StoragePlan,
  ) {}
  check = () => true;
  async run(model: ConfigurationModel, real: ModelSystem): Promise<void> {
    modelStats.commands++;
    const op = resolveOp(this.spec, model) as RecordOp & { action: 'update' };
    const version = model[op.kind].get(op.id)?.version ?? 0;
    const expectedVersion = this.guard === 'none' ? undefined : this.guard === 'current' ? Math.max(version, 1) : version + 7;
    const users = op.kind === 'agent' ? [] : usersOf(model, op.kind, op.id);
    const fault = this.failAgent > 0 && users.length > 0 ? Math.min(this.failAgent, users.length) : undefined;
    const options = expectedVersion === undefined ? {} : { expectedVersion };
    const next = cloneModel(model);
    const expected = applyConfigurationUpdate(next, { ...op, ...options }, fault);
    const arm = () => fault !== undefined && (modelStats.faults++, real.faults.arm('agent', 'update', PERMANENT, fault));
    const failure = await withFaults(real, arm, () => failureOf(real.configuration.updateRecord(op.kind, op.id, patchOf(op), options)), this.storage);
    await settle(model, next, expected, failure, real, `${describeOp(op)}${this.flags()}`, this.storage);
  }
  private flags(): string {
    return `${this.guard === 'none' ? '' : ` (expected version: ${this.guard})`}${this.failAgent > 0 ? ` [re-resolving agent ${this.failAgent} fails]` : ''}${describeStorage(this.storage)}`;
  }
  toString(): string {
    return `${describeSpec(this.spec)}${this.flags()}`;
  }
}

/** A delete through the configuration service (a personality optionally with its agents); optionally the service's delete fails. */
class DeleteCommand implements ModelCommand {
  constructor(
    readonly spec: OpSpec,
    readonly cascade: boolean,
    readonly staleGuard: boolean,
    readonly fault: boolean,
    readonly storage?: StoragePlan,
  ) {}
  check = () => true;
  async run(model: ConfigurationModel, real: ModelSystem): Promise<void> {
    modelStats.commands++;
    const { kind, id } = resolveOp(this.spec, model);
    const expectedVersion = this.staleGuard ? (model[kind].get(id)?.version ?? 0) + 7 : undefined;
    const guard = expectedVersion === undefined ? {} : { expectedVersion };
    const cascade = this.cascade && kind === 'personality';
    const next = cloneModel(model);
    const expected = cascade ? applyCascadeDelete(next, id, expectedVersion, this.fault) : this.fault ? 'INTERNAL_ERROR' : applyRecordOp(next, { action: 'delete', kind, id, ...guard });
    const { configuration } = real;
    const remove = () => (kind === 'personality' ? configuration.deletePersonality(id, { ...guard, cascade }) : kind === 'role' ? configuration.deleteRole(id, guard) : configuration.deleteAgent(id, guard));
    const arm = () => this.fault && (modelStats.faults++, real.faults.arm(kind, 'delete', PERMANENT));
    const failure = await withFaults(real, arm, () => failureOf(remove()), this.storage);
    await settle(model, next, expected, failure, real, `delete ${kind} ${id}${this.flags(kind)}`, this.storage);
  }
  private flags(kind: RecordKind): string {
    return `${this.cascade && kind === 'personality' ? ' --cascade' : ''}${this.staleGuard ? ' (stale expected version)' : ''}${this.fault ? ' [delete fails]' : ''}${describeStorage(this.storage)}`;
  }
  toString(): string {
    return `${describeSpec(this.spec)}${this.flags(this.spec.kind)}`;
  }
}

/** A fault on one step of a workflow: permanent, transient that a retry gets past, or transient past every retry. */
type StepFault = { at: number; behaviour: 'permanent' | 'transient-passes' | 'transient-exhausts' };
const STEP_FAULTS: Record<StepFault['behaviour'], { behaviour: Misbehaviour; code?: string }> = {
  permanent: { behaviour: PERMANENT, code: 'INTERNAL_ERROR' },
  'transient-passes': { behaviour: { kind: 'transient', times: 2 } },
  'transient-exhausts': { behaviour: { kind: 'transient', times: 50 }, code: 'UNAVAILABLE' },
};

/**
 * A workflow of record steps: all of it happens, or (when a step fails) none of it. With `breakUndo`, the undo
 * of the newest completed step fails too: the workflow ends FAILED, verify says so, and recovery finishes it.
 */
class WorkflowCommand implements ModelCommand {
  constructor(
    readonly specs: OpSpec[],
    readonly fault: StepFault | undefined,
    readonly breakUndo: boolean,
    readonly storage?: StoragePlan,
  ) {}
  check = () => true;
  async run(model: ConfigurationModel, real: ModelSystem): Promise<void> {
    modelStats.commands++;
    modelStats.workflows++;
    const next = cloneModel(model);
    const ops: RecordOp[] = [];
    let expected: Outcome = null;
    let failedAt = -1;
    for (const [index, spec] of this.specs.entries()) {
      const op = resolveOp(spec, next);
      ops.push(op);
      if (failedAt >= 0) continue;
      const plannedAway = op.action !== 'create' && !next[op.kind].has(op.id); // NOT_FOUND before the service is called
      const injected = this.fault?.at === index && !plannedAway ? STEP_FAULTS[this.fault.behaviour].code : undefined;
      expected = injected ?? applyRecordOp(next, op, true);
      if (expected !== null) failedAt = index;
    }
    const steps = ops.map(stepOf);
    const newest = this.breakUndo ? ops[failedAt - 1] : undefined;
    const arm = () => {
      const faulty = this.fault && ops[this.fault.at];
      if (this.fault && faulty) {
        modelStats.faults++;
        real.faults.arm(faulty.kind, faulty.action, STEP_FAULTS[this.fault.behaviour].behaviour, callOrdinal(steps, this.fault.at));
      }
      if (newest) {
        modelStats.faults++;
        real.faults.arm(newest.kind, 'revert', PERMANENT);
      }
    };
    const label = `workflow(${ops.map(describeOp).join('; ')})${this.flags()}`;
    let run: WorkflowRun;
    try {
      run = await withFaults(real, arm, () => real.configuration.runWorkflow({ name: 'model-workflow', steps }), this.storage);
    } catch (error) {
      // A storage fault in the journal itself fails the call (STORAGE_UNAVAILABLE, checked in settleStorageFault).
      const faulted = firedLabel(real, this.storage, label);
      if (!this.storage || !faulted || !isAgentcfgError(error)) throw error;
      await settleStorageFault(model, next, expected, { code: error.code, message: error.message, context: error.context }, real, faulted, this.storage);
      return;
    }
    const faulted = firedLabel(real, this.storage, label);
    if (this.storage && faulted) {
      const { status, error } = run;
      expect(status, `status of ${faulted}`).to.be.oneOf(['COMPLETED', 'COMPENSATED', 'FAILED']);
      const outcome = status === 'COMPLETED' ? null : { code: String(error?.code), message: String(error?.message), context: { workflowStatus: status } };
      await settleStorageFault(model, next, expected, outcome, real, faulted, this.storage);
      return;
    }
    if (expected === null) {
      expect(run.status, `status of ${label}`).to.equal('COMPLETED');
      replaceModel(model, next);
      modelStats.completed++;
    } else if (newest) {
      expect(run.status, `status of ${label}`).to.equal('FAILED');
      const findings = (await real.configuration.verify()).findings.map((f) => `${f.code}:${f.records[0]?.id}`);
      expect(findings, `verify while ${label} is FAILED`).to.include(`FAILED_WORKFLOW:${run.id}`);
      const recovered = await real.configuration.recoverWorkflows({ includeFailed: true });
      expect(recovered.map((r) => `${r.workflowId}:${r.to}`), `recovery after ${label}`).to.deep.equal([`${run.id}:COMPENSATED`]);
      modelStats.recovered++;
      modelStats.refused++;
    } else {
      expect(`${run.status}:${run.error?.code}`, `outcome of ${label}`).to.equal(`COMPENSATED:${expected}`);
      modelStats.refused++;
    }
    await checkAgainstModel(model, real, label);
  }
  private flags(): string {
    return `${this.fault ? ` [step s${this.fault.at}: ${this.fault.behaviour}]` : ''}${this.breakUndo ? ' [newest undo fails]' : ''}${describeStorage(this.storage)}`;
  }
  toString(): string {
    return `workflow(${this.specs.map(describeSpec).join('; ')})${this.flags()}`;
  }
}

const rarely = fc.oneof({ arbitrary: fc.constant(false), weight: 5 }, { arbitrary: fc.constant(true), weight: 1 });
const workflowSpecs = fc.array(opSpec(['create', 'update', 'delete']), { minLength: 1, maxLength: 3 });

/**
 * Now and then (one command in four) a storage fault: an environment errno at a call small enough to land inside
 * the command most of the time (a record write makes 10-20 faultable calls, a workflow 30-60); shrinks to none.
 */
const storageFault = (maxCall: number): fc.Arbitrary<StoragePlan | undefined> =>
  fc.oneof(
    { arbitrary: fc.constant(undefined), weight: 3 },
    { arbitrary: fc.record({ k: fc.integer({ min: 1, max: maxCall }), errno: fc.constantFrom(...ENVIRONMENT_ERRNOS), restart: fc.boolean() }), weight: 1 },
  );
const RECORD_CALLS = 40;
const WORKFLOW_CALLS = 64;

const create = fc.tuple(opSpec(['create']), rarely, storageFault(RECORD_CALLS)).map(([spec, fault, storage]) => new CreateCommand(spec, fault, storage));
const update = fc
  .tuple(
    opSpec(['update']),
    fc.constantFrom('none' as const, 'none' as const, 'current' as const, 'stale' as const),
    fc.oneof({ arbitrary: fc.constant(0), weight: 4 }, { arbitrary: fc.integer({ min: 1, max: 3 }), weight: 1 }),
    storageFault(RECORD_CALLS),
  )
  .map(([spec, guard, failAgent, storage]) => new UpdateCommand(spec, guard, failAgent, storage));
const remove = fc
  .tuple(opSpec(['delete']), fc.boolean(), rarely, rarely, storageFault(RECORD_CALLS))
  .map(([spec, cascade, stale, fault, storage]) => new DeleteCommand(spec, cascade, stale, fault, storage));
const workflow = fc.tuple(workflowSpecs, storageFault(WORKFLOW_CALLS)).map(([specs, storage]) => new WorkflowCommand(specs, undefined, false, storage));
const faultyWorkflow = fc
  .tuple(workflowSpecs, fc.nat(), fc.constantFrom('permanent' as const, 'transient-passes' as const, 'transient-exhausts' as const), fc.boolean(), storageFault(WORKFLOW_CALLS))
  .map(([specs, at, behaviour, breakUndo, storage]) => new WorkflowCommand(specs, { at: at % specs.length, behaviour }, breakUndo, storage));

/** Every command the model-based test draws from (listed as often as it should be drawn). */
export const modelCommands: fc.Arbitrary<ModelCommand>[] = [create, create, update, update, update, remove, remove, workflow, workflow, faultyWorkflow];
