import { expect } from 'chai';
import fc from 'fast-check';
import type { RecordKind } from '../../../src/domain/record';
import { isAgentcfgError } from '../../../src/domain/errors/agentcfg-error';
import { callOrdinal } from '../../support/coordination';
import type { Misbehaviour } from '../../support/service-fakes';
import { applyCascadeDelete, applyConfigurationUpdate, applyRecordOp, cloneModel, replaceModel, staleAgents, usersOf, type ConfigurationModel, type Outcome, type RecordOp } from './configuration-model';
import { readModel, type ModelSystem } from './model-system';
import { bodyOf, describeOp, describeSpec, opSpec, patchOf, resolveOp, stepOf, type OpSpec } from './record-ops';

type ModelCommand = fc.AsyncCommand<ConfigurationModel, ModelSystem>;

/** What the commands did across all runs, for the figures line. */
export const modelStats = { commands: 0, completed: 0, refused: 0, workflows: 0, faults: 0, recovered: 0 };

const PERMANENT: Misbehaviour = { kind: 'permanent', code: 'INTERNAL_ERROR', message: 'injected fault' };

/** The error code a call failed with, or null; anything that is not an AgentcfgError fails the test. */
async function codeOf(work: Promise<unknown>): Promise<string | null> {
  try {
    await work;
    return null;
  } catch (error) {
    if (!isAgentcfgError(error)) throw error;
    return error.code;
  }
}

/** After every command: the records are exactly the model's, and verify names exactly the agents the model calls stale. */
export async function checkAgainstModel(model: ConfigurationModel, real: ModelSystem, after: string): Promise<void> {
  const actual = await readModel(real.configuration);
  for (const kind of ['personality', 'role', 'agent'] as const) {
    expect([...actual[kind].keys()].sort(), `${kind} ids after ${after}`).to.deep.equal([...model[kind].keys()].sort());
    for (const [id, record] of model[kind]) expect(actual[kind].get(id), `${kind} ${id} after ${after}`).to.deep.equal(record);
  }
  const report = await real.configuration.verify();
  const findings = report.findings.map((f) => `${f.code}:${f.records[0]?.id}`).sort();
  expect(findings, `verify after ${after}`).to.deep.equal(staleAgents(model).map((id) => `STALE_RESOLUTION:${id}`));
}

/** Runs `work` with the faults `arm` sets, disarming them whatever happens. */
async function withFaults<T>(real: ModelSystem, arm: () => void, work: () => Promise<T>): Promise<T> {
  arm();
  try {
    return await work();
  } finally {
    real.faults.disarm();
  }
}

/** Checks a call's outcome; when it succeeded, the simulated model becomes the model; then checks the folder. */
async function settle(model: ConfigurationModel, next: ConfigurationModel, expected: Outcome, actual: string | null, real: ModelSystem, label: string): Promise<void> {
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
    await settle(model, next, expected, await withFaults(real, arm, () => codeOf(create())), real, `${describeOp(op)}${this.fault ? ' [create fails]' : ''}`);
  }
  toString(): string {
    return `${describeSpec(this.spec)}${this.fault ? ' [create fails]' : ''}`;
  }
}

/** An update through the configuration service (re-resolving the agents that use it); optionally one re-resolution fails. */
class UpdateCommand implements ModelCommand {
  constructor(
    readonly spec: OpSpec,
    readonly guard: 'none' | 'current' | 'stale',
    /** Fail the n-th agent's re-resolution (when agents use the record). */
    readonly failAgent: number,
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
    const actual = await withFaults(real, arm, () => codeOf(real.configuration.updateRecord(op.kind, op.id, patchOf(op), options)));
    await settle(model, next, expected, actual, real, `${describeOp(op)}${this.flags()}`);
  }
  private flags(): string {
    return `${this.guard === 'none' ? '' : ` (expected version: ${this.guard})`}${this.failAgent > 0 ? ` [re-resolving agent ${this.failAgent} fails]` : ''}`;
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
    await settle(model, next, expected, await withFaults(real, arm, () => codeOf(remove())), real, `delete ${kind} ${id}${this.flags(kind)}`);
  }
  private flags(kind: RecordKind): string {
    return `${this.cascade && kind === 'personality' ? ' --cascade' : ''}${this.staleGuard ? ' (stale expected version)' : ''}${this.fault ? ' [delete fails]' : ''}`;
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
    const run = await withFaults(real, arm, () => real.configuration.runWorkflow({ name: 'model-workflow', steps }));
    const label = `workflow(${ops.map(describeOp).join('; ')})${this.flags()}`;
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
    return `${this.fault ? ` [step s${this.fault.at}: ${this.fault.behaviour}]` : ''}${this.breakUndo ? ' [newest undo fails]' : ''}`;
  }
  toString(): string {
    return `workflow(${this.specs.map(describeSpec).join('; ')})${this.flags()}`;
  }
}

const rarely = fc.oneof({ arbitrary: fc.constant(false), weight: 5 }, { arbitrary: fc.constant(true), weight: 1 });
const workflowSpecs = fc.array(opSpec(['create', 'update', 'delete']), { minLength: 1, maxLength: 3 });

const create = fc.tuple(opSpec(['create']), rarely).map(([spec, fault]) => new CreateCommand(spec, fault));
const update = fc
  .tuple(opSpec(['update']), fc.constantFrom('none' as const, 'none' as const, 'current' as const, 'stale' as const), fc.oneof({ arbitrary: fc.constant(0), weight: 4 }, { arbitrary: fc.integer({ min: 1, max: 3 }), weight: 1 }))
  .map(([spec, guard, failAgent]) => new UpdateCommand(spec, guard, failAgent));
const remove = fc.tuple(opSpec(['delete']), fc.boolean(), rarely, rarely).map(([spec, cascade, stale, fault]) => new DeleteCommand(spec, cascade, stale, fault));
const workflow = workflowSpecs.map((specs) => new WorkflowCommand(specs, undefined, false));
const faultyWorkflow = fc
  .tuple(workflowSpecs, fc.nat(), fc.constantFrom('permanent' as const, 'transient-passes' as const, 'transient-exhausts' as const), fc.boolean())
  .map(([specs, at, behaviour, breakUndo]) => new WorkflowCommand(specs, { at: at % specs.length, behaviour }, breakUndo));

/** Every command the model-based test draws from (listed as often as it should be drawn). */
export const modelCommands: fc.Arbitrary<ModelCommand>[] = [create, create, update, update, update, remove, remove, workflow, workflow, faultyWorkflow];
