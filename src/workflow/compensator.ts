import type { AnyRecord } from '../domain/records';
import type { IServicePolicies, PolicyEvent } from '../resilience/service-policies';
import { recordError } from './recorded-error';
import type { StepServices } from './step-executor';
import type { StepIntent } from './workflow-run';

/** Where compensation appends what it does. */
export interface CompensationJournal {
  append(event: 'compensation.completed' | 'compensation.failed' | 'step.policy', data: Record<string, unknown>): Promise<unknown>;
}

/** What undoing a workflow's steps came to. */
export interface CompensationResult {
  compensated: string[];
  /** The step whose undo failed and every step after it in undo order, still to undo. */
  unresolved: string[];
}

/**
 * Undoes steps newest-first. Each undo puts the record back exactly as it was (fields, version, timestamps)
 * and is idempotent, so recovery can run it again safely. The first undo that fails stops the rest: undoing
 * an older step under a newer one that is still in place could leave a dangling reference.
 */
export class Compensator {
  constructor(
    private readonly services: StepServices,
    private readonly policies: IServicePolicies,
  ) {}

  async compensate(intents: readonly StepIntent[], journal: CompensationJournal): Promise<CompensationResult> {
    const compensated: string[] = [];
    for (const [index, intent] of intents.entries()) {
      let policyLog: Promise<unknown> = Promise.resolve();
      const onEvent = (event: PolicyEvent) => {
        policyLog = policyLog.then(() => journal.append('step.policy', { stepId: intent.stepId, event, compensation: true }));
      };
      try {
        const outcome = await this.policies.execute(
          intent.service,
          (signal) =>
            this.services[intent.service].revert(
              { id: intent.targetId, before: intent.before as AnyRecord | null, after: intent.after },
              { signal },
            ),
          { compensation: true, onEvent },
        );
        await policyLog;
        await journal.append('compensation.completed', { stepId: intent.stepId, outcome });
        compensated.push(intent.stepId);
      } catch (error) {
        await policyLog;
        await journal.append('compensation.failed', { stepId: intent.stepId, error: recordError(error) });
        return { compensated, unresolved: intents.slice(index).map((i) => i.stepId) };
      }
    }
    return { compensated, unresolved: [] };
  }
}
