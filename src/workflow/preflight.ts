import type { z } from 'zod';
import type { ErrorDetail } from '../domain/errors/agentcfg-error';
import { ValidationError } from '../domain/errors/errors';
import { ID_PATTERN, idSchema } from '../domain/ids';
import { everyKind, KINDS, type EveryKind } from '../domain/kinds/registry';
import { issuesToDetails, parseInput } from '../domain/validation/parse-input';
import { findForbiddenKeys } from '../domain/validation/forbidden-keys';
import { findReferences, planExecutionOrder } from '../domain/workflow/step-references';
import {
  customStepSchema,
  isCustomStep,
  recordStepSchema,
  workflowDefinitionSchema,
  type RecordStep,
  type WorkflowDefinition,
  type WorkflowStep,
} from '../domain/workflow/workflow-definition';

const CREATE_SCHEMAS: EveryKind<z.ZodType> = everyKind((kind) => KINDS[kind].createSchema);

const INPUT_KEYS = { update: ['id', 'patch', 'expectedVersion', 'strategy', 'rules'], delete: ['id', 'expectedVersion'] } as const;

function checkStepInput(step: RecordStep, index: number): ErrorDetail[] {
  const at = (path: string) => `steps.${index}.input${path ? `.${path}` : ''}`;
  const input = step.input as Record<string, unknown>;
  if (step.action === 'create') {
    // Bodies that take values from earlier steps are checked when those values are known.
    if (findReferences(input).length > 0) return [];
    const result = CREATE_SCHEMAS[step.service].safeParse(input);
    return result.success ? [] : issuesToDetails(result.error.issues).map((d) => ({ ...d, path: at(d.path) }));
  }
  const allowed: readonly string[] = INPUT_KEYS[step.action];
  const details = Object.keys(input)
    .filter((key) => !allowed.includes(key))
    .map((key) => ({ path: at(key), message: `unknown field '${key}' (a ${step.action} takes ${allowed.join(', ')})` }));
  if (!('id' in input)) details.push({ path: at('id'), message: 'required' });
  // A literal id is checked now, so `../x` is refused before anything runs; a $ref is checked once resolved.
  else if (typeof input.id !== 'object' && !idSchema.safeParse(input.id).success) details.push({ path: at('id'), message: `must match ${ID_PATTERN.source}` });
  if (step.action === 'update' && !('patch' in input)) details.push({ path: at('patch'), message: 'required' });
  return details;
}

/**
 * Checks a workflow before anything runs: its shape, prototype-pollution keys, references (dangling or cyclic)
 * and every step input that can be checked now. Returns the steps in the order they will run.
 */
export function preflight(definition: unknown): { definition: WorkflowDefinition; order: WorkflowStep[] } {
  const context = { service: 'workflow', operation: 'validate' };
  const outline = parseInput(workflowDefinitionSchema, definition, 'workflow', context);
  const shapeIssues: ErrorDetail[] = [];
  const steps = outline.steps.map((raw, i) => {
    const result = ('custom' in raw ? customStepSchema : recordStepSchema).safeParse(raw);
    if (!result.success) shapeIssues.push(...issuesToDetails(result.error.issues).map((d) => ({ ...d, path: `steps.${i}.${d.path}` })));
    return (result.success ? result.data : raw) as WorkflowStep;
  });
  if (shapeIssues.length > 0) throw new ValidationError(`invalid workflow '${outline.name}': ${shapeIssues.map((d) => d.path).join(', ')}`, shapeIssues, { context });
  const parsed: WorkflowDefinition = { name: outline.name, steps };
  const order = planExecutionOrder(parsed);
  const details = parsed.steps.flatMap((step, i) => [
    ...findForbiddenKeys(step.input).map((d) => ({ ...d, path: `steps.${i}.input.${d.path}` })),
    ...(isCustomStep(step) ? [] : checkStepInput(step, i)),
  ]);
  if (details.length > 0) throw new ValidationError(`invalid workflow '${parsed.name}': ${details.map((d) => d.path).join(', ')}`, details, { context });
  return { definition: parsed, order };
}
