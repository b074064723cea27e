import { RECORD_KINDS, type RecordKind } from '../kinds/registry';
import { z } from 'zod';
import { requiredText, text } from '../record';
import { CONFLICT_STRATEGIES, FIELD_RULES } from '../conflict/resolve-update';

/** The services a workflow step can call: one per kind of record. */
export const STEP_SERVICES = RECORD_KINDS as readonly [RecordKind, ...RecordKind[]];
/** One service a step can call. */
export type StepService = RecordKind;

/** What a step does to its service's records. */
export const STEP_ACTIONS = ['create', 'update', 'delete'] as const;
/** One step action. */
export type StepAction = (typeof STEP_ACTIONS)[number];

/** Status of a workflow: PENDING → RUNNING → COMPLETED, or RUNNING → COMPENSATING → COMPENSATED | FAILED. */
export const WorkflowStatus = {
  PENDING: 'PENDING',
  RUNNING: 'RUNNING',
  COMPLETED: 'COMPLETED',
  COMPENSATING: 'COMPENSATING',
  COMPENSATED: 'COMPENSATED',
  FAILED: 'FAILED',
} as const;
/** One workflow status. */
export type WorkflowStatus = (typeof WorkflowStatus)[keyof typeof WorkflowStatus];

/** Status of one step; a step that ran and was then undone ends COMPENSATED. */
export const StepStatus = {
  PENDING: 'PENDING',
  RUNNING: 'RUNNING',
  COMPLETED: 'COMPLETED',
  FAILED: 'FAILED',
  COMPENSATED: 'COMPENSATED',
  COMPENSATION_FAILED: 'COMPENSATION_FAILED',
} as const;
/** One step status. */
export type StepStatus = (typeof StepStatus)[keyof typeof StepStatus];

/** Step ids name outputs in `$ref`s, so camelCase is allowed; they never name files. */
export const stepIdSchema = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/, 'must match ^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$');

/** One step on a record service, as written in a workflow file. */
export const recordStepSchema = z.strictObject({
  id: stepIdSchema,
  service: z.enum(STEP_SERVICES, { error: `must be one of ${STEP_SERVICES.join(', ')}` }),
  action: z.enum(STEP_ACTIONS, { error: `must be one of ${STEP_ACTIONS.join(', ')}` }),
  input: z.unknown().refine((v) => typeof v === 'object' && v !== null && !Array.isArray(v), 'must be a JSON object'),
  dependsOn: z.array(stepIdSchema).max(1000).optional(),
});

/**
 * What a custom step (built in TypeScript) does and how to undo it. Its code is not journaled, so a workflow
 * with custom steps that a killed process left behind cannot undo them on recovery: it ends FAILED naming them.
 */
export interface CustomStepHandlers {
  /** Does the step's work; returns its output (which later steps can `$ref`). */
  run(input: unknown): Promise<unknown>;
  /** Undoes the work, given what `run` returned. */
  compensate(output: unknown): Promise<void>;
}

/** A step with its own code and its own compensation. */
export const customStepSchema = z.strictObject({
  id: stepIdSchema,
  custom: z.custom<CustomStepHandlers>(
    (v) => typeof (v as CustomStepHandlers)?.run === 'function' && typeof (v as CustomStepHandlers)?.compensate === 'function',
    'must have run(input) and compensate(output) functions',
  ),
  input: z.unknown().optional(),
  dependsOn: z.array(stepIdSchema).max(1000).optional(),
});

/** The outline of a workflow; each step is then checked as a record step or a custom step. */
export const workflowDefinitionSchema = z.strictObject({
  name: requiredText(200),
  steps: z.array(z.record(z.string(), z.unknown())).min(1, 'a workflow needs at least one step').max(1000),
});

/** One step on a record service. */
export type RecordStep = z.infer<typeof recordStepSchema>;
/** One step with its own code. */
export type CustomStep = z.infer<typeof customStepSchema>;
/** One step of a workflow. */
export type WorkflowStep = RecordStep | CustomStep;
/** A workflow definition. */
export interface WorkflowDefinition {
  name: string;
  steps: WorkflowStep[];
}

/** True for a step that brings its own code. */
export function isCustomStep(step: WorkflowStep): step is CustomStep {
  return 'custom' in step;
}

/** The input of an update step, once its references are resolved. */
export const updateStepInputSchema = z.strictObject({
  id: text(200), // the service checks it as an id
  patch: z.record(z.string(), z.unknown()),
  expectedVersion: z.number().int().positive().optional(),
  /** How to reconcile when `expectedVersion` is not current (default reject). */
  strategy: z.enum(CONFLICT_STRATEGIES).optional(),
  rules: z.record(text(500), z.enum(FIELD_RULES)).optional(),
});

/** The input of a delete step, once its references are resolved. */
export const deleteStepInputSchema = z.strictObject({
  id: text(200),
  expectedVersion: z.number().int().positive().optional(),
});
