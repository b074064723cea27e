import type { ErrorDetail } from '../errors/agentcfg-error';
import { ValidationError } from '../errors/errors';
import type { WorkflowDefinition, WorkflowStep } from './workflow-definition';

/** A place in a step's input that takes an earlier step's output: `{"$ref": "steps.<id>.output.<path>"}`. */
export interface StepReference {
  /** Dotted path of the reference inside the input. */
  at: string;
  stepId: string;
  /** Dotted path inside the referenced step's output ('' for the whole output). */
  outputPath: string;
}

const REF_PATTERN = /^steps\.([A-Za-z0-9][A-Za-z0-9_-]{0,63})\.output(?:\.(.+))?$/;

function isRefObject(value: unknown): value is { $ref: unknown } {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && Object.keys(value).length === 1 && '$ref' in value;
}

/** Every `$ref` inside a value, with malformed ones reported as details. */
export function findReferences(value: unknown, at: string[] = [], malformed: ErrorDetail[] = []): StepReference[] {
  if (isRefObject(value)) {
    const match = typeof value.$ref === 'string' ? REF_PATTERN.exec(value.$ref) : null;
    if (!match) {
      malformed.push({ path: at.join('.'), message: 'a $ref must read "steps.<stepId>.output[.<path>]"' });
      return [];
    }
    return [{ at: at.join('.'), stepId: match[1] as string, outputPath: match[2] ?? '' }];
  }
  if (Array.isArray(value)) return value.flatMap((item, i) => findReferences(item, [...at, String(i)], malformed));
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([key, item]) => findReferences(item, [...at, key], malformed));
}

/**
 * Checks a workflow's references and dependencies and returns the order to run its steps in: the listed order,
 * except that a step runs after every step it depends on or refers to. Unknown step ids (dangling references)
 * and cycles are a VALIDATION_ERROR, found before anything runs.
 */
export function planExecutionOrder(definition: WorkflowDefinition): WorkflowStep[] {
  const details: ErrorDetail[] = [];
  const index = new Map<string, number>();
  definition.steps.forEach((step, i) => {
    if (index.has(step.id)) details.push({ path: `steps.${i}.id`, message: `duplicate step id '${step.id}'` });
    index.set(step.id, i);
  });
  const needs = definition.steps.map((step, i) => {
    const inputPath = (at: string) => `steps.${i}.input${at ? `.${at}` : ''}`;
    const malformed: ErrorDetail[] = [];
    const refs = findReferences(step.input, [], malformed).map((ref) => ({ id: ref.stepId, path: inputPath(ref.at) }));
    details.push(...malformed.map((d) => ({ ...d, path: inputPath(d.path) })));
    const deps = (step.dependsOn ?? []).map((id, d) => ({ id, path: `steps.${i}.dependsOn.${d}` }));
    const targets = new Set<number>();
    for (const { id, path } of [...refs, ...deps]) {
      const target = index.get(id);
      if (target === undefined) details.push({ path, message: `refers to unknown step '${id}'` });
      else if (target === i) details.push({ path, message: `step '${id}' refers to itself` });
      else targets.add(target);
    }
    return targets;
  });
  if (details.length === 0) {
    const cycle = findCycle(needs);
    if (cycle) {
      const names = cycle.map((i) => definition.steps[i]?.id).join(' → ');
      details.push({ path: `steps.${cycle[0]}`, message: `cyclic reference: ${names}` });
    }
  }
  if (details.length > 0) throw new ValidationError(`invalid workflow '${definition.name}': ${details.map((d) => d.message).join('; ')}`, details, { context: { service: 'workflow', operation: 'plan' } });
  return topologicalOrder(needs).map((i) => definition.steps[i] as WorkflowStep);
}

function findCycle(needs: Set<number>[]): number[] | null {
  const state = needs.map(() => 0); // 0 unvisited, 1 on the path, 2 done
  const path: number[] = [];
  const visit = (node: number): number[] | null => {
    state[node] = 1;
    path.push(node);
    for (const next of needs[node] ?? []) {
      if (state[next] === 1) return [...path.slice(path.indexOf(next)), next];
      if (state[next] === 0) {
        const found = visit(next);
        if (found) return found;
      }
    }
    path.pop();
    state[node] = 2;
    return null;
  };
  for (let i = 0; i < needs.length; i++) {
    const found = state[i] === 0 ? visit(i) : null;
    if (found) return found;
  }
  return null;
}

/** Kahn's algorithm, always taking the earliest listed step that is ready, so the listed order is kept where it can be. */
function topologicalOrder(needs: Set<number>[]): number[] {
  const done = new Set<number>();
  const order: number[] = [];
  while (order.length < needs.length) {
    const next = needs.findIndex((deps, i) => !done.has(i) && [...deps].every((d) => done.has(d)));
    done.add(next);
    order.push(next);
  }
  return order;
}

/** Replaces every `$ref` with the referenced output value; a path the output lacks is a VALIDATION_ERROR. */
export function resolveReferences(input: unknown, outputs: ReadonlyMap<string, unknown>, stepId: string): unknown {
  const missing: ErrorDetail[] = [];
  const resolve = (value: unknown, at: string[]): unknown => {
    if (isRefObject(value)) {
      const [ref] = findReferences(value);
      if (!ref) return value;
      let current: unknown = outputs.get(ref.stepId);
      for (const key of ref.outputPath ? ref.outputPath.split('.') : []) {
        current = typeof current === 'object' && current !== null ? (current as Record<string, unknown>)[key] : undefined;
      }
      if (current === undefined) missing.push({ path: at.join('.'), message: `${String(value.$ref)} has no value` });
      return current;
    }
    if (Array.isArray(value)) return value.map((item, i) => resolve(item, [...at, String(i)]));
    if (typeof value !== 'object' || value === null) return value;
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, resolve(item, [...at, key])]));
  };
  const resolved = resolve(input, []);
  if (missing.length > 0) throw new ValidationError(`step '${stepId}' refers to outputs that do not exist`, missing, { context: { service: 'workflow', operation: 'resolve', stepId } });
  return resolved;
}
