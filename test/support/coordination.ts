import type { RecordStep } from '../../src/domain/workflow/workflow-definition';
import type { ResilienceOverrides } from '../../src/resilience/service-policies';
import type { IConfigurationService } from '../../src/services/configuration/configuration-service';
import { everyKind } from '../../src/domain/kinds/registry';
import { recordServiceToken } from '../../src/services/shared/record-services';
import { loadFixture } from './fixtures';
import type { Misbehaviour } from './service-fakes';
import { validRecords } from './records';

/** The DI token of each step service. */
export const SERVICE_TOKENS = everyKind<symbol>(recordServiceToken);

/** Quick policies for scenarios that do not measure timing: 1 ms backoff, a 100 ms timeout, a breaker that stays closed. */
export const FAST_RESILIENCE: ResilienceOverrides = { retry: { initialDelayMs: 1 }, breaker: { consecutiveFailures: 100 }, timeoutMs: 100 };

/** test/fixtures/service-coordination/multi-service-workflows.json */
export interface MultiServiceFixture {
  workflows: { name: string; definition: { name: string; steps: RecordStep[] } }[];
  failureKinds: { kind: string; behaviour: Misbehaviour; expectedCode: string; expectedAttempts: number; messageIncludes: string }[];
  invalidWorkflows: { name: string; definition: unknown; paths?: string[]; messageIncludes?: string }[];
}

/** Loads the multi-service workflow fixture. */
export function multiServiceWorkflows(): MultiServiceFixture {
  return loadFixture<MultiServiceFixture>('service-coordination/multi-service-workflows.json');
}

/** Creates the records every coordination scenario starts from. */
export async function seedValidRecords(configuration: IConfigurationService): Promise<void> {
  const valid = validRecords();
  await configuration.createPersonality(valid.personality);
  await configuration.createRole(valid.role);
  await configuration.createAgent(valid.agent);
}

/** Which call of its service's method a step makes (1-based), counting the steps before it in the workflow. */
export function callOrdinal(steps: readonly RecordStep[], index: number): number {
  const step = steps[index] as RecordStep;
  return steps.slice(0, index + 1).filter((s) => s.service === step.service && s.action === step.action).length;
}
