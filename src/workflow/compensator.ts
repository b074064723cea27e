import { AgentcfgError } from '../domain/errors/agentcfg-error';
import type { AnyRecord } from '../domain/records';
import type { StepService } from '../domain/workflow/workflow-definition';
import type { IServicePolicies, PolicyEvent } from '../resilience/service-policies';
import { recordError } from './recorded-error';
import { awaitedLater, type StepServices } from './step-executor';
import type { Compensation } from './workflow-run';
import type { SecurityContext } from '../security/security-context';

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

  /** Undoes `intents` in the order given; custom steps through `customUndo` (absent after a restart: they fail). */
  async compensate(
    intents: readonly Compensation[],
    journal: CompensationJournal,
    by: { context: SecurityContext; workflowId: string },
    customUndo: ReadonlyMap<string, () => Promise<void>> = new Map(),
  ): Promise<CompensationResult> {
    const compensated: string[] = [];
    for (const [index, intent] of intents.entries()) {
      let policyLog: Promise<unknown> = Promise.resolve();
      const onEvent = (event: PolicyEvent) => {
        policyLog = awaitedLater(policyLog.then(() => journal.append('step.policy', { stepId: intent.stepId, event, compensation: true })));
      };
      try {
        if (intent.notWritten && intent.service !== 'custom') {
          await journal.append('compensation.completed', { stepId: intent.stepId, outcome: 'not-applied' });
          compensated.push(intent.stepId);
          continue;
        }
        const outcome = intent.service === 'custom' ? await this.undoCustom(intent, customUndo) : await this.policies.execute(
          intent.service,
          (signal) =>
            this.services[intent.service as StepService].revert(
              { id: intent.targetId, before: intent.before as AnyRecord | null, after: intent.after && (intent.output === undefined ? intent.after : { ...intent.after, record: intent.output as AnyRecord }) },
              { signal, context: by.context, workflowStep: { workflowId: by.workflowId, stepId: intent.stepId } },
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

  private async undoCustom(intent: Compensation, customUndo: ReadonlyMap<string, () => Promise<void>>): Promise<string> {
    const undo = customUndo.get(intent.stepId);
    if (!undo) {
      throw new AgentcfgError('INTERNAL_ERROR', `custom step '${intent.stepId}' cannot be undone by recovery: its code ran in a process that stopped`, {
        context: { service: 'custom', operation: 'compensate', stepId: intent.stepId },
      });
    }
    await undo();
    return 'reverted';
  }
}
