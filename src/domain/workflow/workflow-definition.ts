import { z } from 'zod';
import { requiredText } from '../record';

/** The services a workflow step can call. */
export const STEP_SERVICES = ['personality', 'role', 'agent'] as const;
/** One service a step can call. */
export type StepService = (typeof STEP_SERVICES)[number];

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

/** One step as written in a workflow file. */
export const workflowStepSchema = z.strictObject({
  id: stepIdSchema,
  service: z.enum(STEP_SERVICES, { error: `must be one of ${STEP_SERVICES.join(', ')}` }),
  action: z.enum(STEP_ACTIONS, { error: `must be one of ${STEP_ACTIONS.join(', ')}` }),
  input: z.unknown().refine((v) => typeof v === 'object' && v !== null && !Array.isArray(v), 'must be a JSON object'),
  dependsOn: z.array(stepIdSchema).max(1000).optional(),
});

/** A workflow as written in a JSON file or built in TypeScript. */
export const workflowDefinitionSchema = z.strictObject({
  name: requiredText(200),
  steps: z.array(workflowStepSchema).min(1, 'a workflow needs at least one step').max(1000),
});

/** One step of a workflow. */
export type WorkflowStep = z.infer<typeof workflowStepSchema>;
/** A workflow definition. */
export type WorkflowDefinition = z.infer<typeof workflowDefinitionSchema>;

/** The input of an update step, once its references are resolved. */
export const updateStepInputSchema = z.strictObject({
  id: z.string(),
  patch: z.record(z.string(), z.unknown()),
  expectedVersion: z.number().int().positive().optional(),
});

/** The input of a delete step, once its references are resolved. */
export const deleteStepInputSchema = z.strictObject({
  id: z.string(),
  expectedVersion: z.number().int().positive().optional(),
});
