import fc from 'fast-check';
import type { ModelledKind as RecordKind } from './modelled-kind';
import type { RecordStep } from '../../../src/domain/workflow/workflow-definition';
import { validRecords } from '../../support/records';
import type { ConfigurationModel, RecordOp } from './configuration-model';

/** The ids commands pick from: the seeded records, two free ids, and a template (to change, never to delete). */
export const MODEL_IDS: Record<RecordKind, readonly string[]> = {
  personality: ['ada', 'p1', 'p2', 'balanced'],
  role: ['reviewer', 'r1', 'r2', 'critic'],
  agent: ['ada-reviewer', 'a1', 'a2'],
};

/** The one field each kind's commands write. */
const FIELDS: Record<RecordKind, string> = { personality: 'humor', role: 'description', agent: 'color' };

/** Which id an operation targets, chosen when it runs: the `pick`-th of the ids that exist then (or that are free). */
export interface Target {
  existing: boolean;
  pick: number;
}

/**
 * A record operation as generated. Its ids are resolved against the model when the command runs, so most
 * updates and deletes find a record and most creates a free id, whatever ran before; `describeSpec` shows
 * the rule, so a shrunk counterexample replays exactly.
 */
export interface OpSpec {
  action: RecordOp['action'];
  kind: RecordKind;
  target: Target;
  /** What to write (see `markFor`). */
  n: number;
  /** An agent create's personality and role. */
  refs: { personality: Target; role: Target };
}

/** The value a command writes into its kind's field, as the model keeps it: humor 0-100, a description, a colour. */
export function markFor(kind: RecordKind, n: number): string {
  if (kind === 'personality') return String(n % 101);
  if (kind === 'role') return `d${n}`;
  return `#0000${n.toString(16).toUpperCase().padStart(2, '0')}`;
}

function resolveTarget(model: ConfigurationModel, kind: RecordKind, target: Target): string {
  const pool = MODEL_IDS[kind];
  const wanted = pool.filter((id) => model[kind].has(id) === target.existing);
  const ids = wanted.length > 0 ? wanted : pool;
  return ids[target.pick % ids.length] as string;
}

/** The operation a spec stands for, in the state `model` is in now. */
export function resolveOp(spec: OpSpec, model: ConfigurationModel): RecordOp {
  const { action, kind } = spec;
  const id = resolveTarget(model, kind, spec.target);
  const mark = markFor(kind, spec.n);
  if (action === 'delete') return { action, kind, id };
  if (action === 'update') return { action, kind, id, mark };
  if (kind !== 'agent') return { action, kind, id, mark };
  return { action, kind, id, mark, personalityId: resolveTarget(model, 'personality', spec.refs.personality), roleId: resolveTarget(model, 'role', spec.refs.role) };
}

const describeTarget = (t: Target) => `<${t.existing ? 'existing' : 'free'} #${t.pick % 8}>`;

/** A spec as the counterexample shows it. */
export function describeSpec(spec: OpSpec): string {
  const refs = spec.action === 'create' && spec.kind === 'agent' ? ` uses ${describeTarget(spec.refs.personality)}, ${describeTarget(spec.refs.role)}` : '';
  return `${spec.action} ${spec.kind} ${describeTarget(spec.target)}${spec.action === 'delete' ? '' : ` ${markFor(spec.kind, spec.n)}`}${refs}`;
}

/** An operation as the failure messages show it. */
export function describeOp(op: RecordOp): string {
  const refs = op.action === 'create' && op.kind === 'agent' ? ` uses ${op.personalityId}, ${op.roleId}` : '';
  return `${op.action} ${op.kind} ${op.id}${op.action === 'delete' ? '' : ` ${op.mark}`}${refs}`;
}

function valueOf(kind: RecordKind, mark: string): unknown {
  return kind === 'personality' ? Number(mark) : mark;
}

const valid = validRecords();

/** The body of a create. */
export function bodyOf(op: RecordOp & { action: 'create' }): Record<string, unknown> {
  const base = { ...valid[op.kind], id: op.id, name: `Model ${op.id}`, [FIELDS[op.kind]]: valueOf(op.kind, op.mark) } as Record<string, unknown>;
  return op.kind === 'agent' ? { ...base, personalityId: op.personalityId, roleId: op.roleId } : base;
}

/** The patch of an update. */
export function patchOf(op: RecordOp & { action: 'update' }): Record<string, unknown> {
  return { [FIELDS[op.kind]]: valueOf(op.kind, op.mark) };
}

/** The workflow step that makes an operation. */
export function stepOf(op: RecordOp, index: number): RecordStep {
  const base = { id: `s${index}`, service: op.kind, action: op.action };
  if (op.action === 'create') return { ...base, input: bodyOf(op) };
  if (op.action === 'update') return { ...base, input: { id: op.id, patch: patchOf(op) } };
  return { ...base, input: { id: op.id } };
}

/** Mostly `likely`, sometimes not. */
const mostly = (likely: boolean) => fc.oneof({ arbitrary: fc.constant(likely), weight: 4 }, { arbitrary: fc.constant(!likely), weight: 1 });
const target = (existing: boolean): fc.Arbitrary<Target> => fc.record({ existing: mostly(existing), pick: fc.nat({ max: 7 }) });

/** Specs of the given actions: creates mostly on free ids, updates and deletes mostly on existing records. */
export function opSpec(actions: readonly RecordOp['action'][]): fc.Arbitrary<OpSpec> {
  return fc.constantFrom(...actions).chain((action) =>
    fc.record({
      action: fc.constant(action),
      kind: fc.constantFrom<RecordKind>('personality', 'role', 'agent'),
      target: target(action !== 'create'),
      n: fc.integer({ min: 0, max: 255 }),
      refs: fc.record({ personality: target(true), role: target(true) }),
    }),
  );
}
