import { promises as fsp } from 'node:fs';
import { join } from 'node:path';
import type { Contender, ContenderName } from './contender';
import { callsBetween, type IoCounts } from './counting-file-system';
import { runInProcesses, type ProcessRun } from './processes';
import { agentRequest, existingPersonalities, personalityInput } from './records';
import { timed } from './stats';

/** How much work one round does at one size. */
export interface RoundPlan {
  size: number;
  round: number;
  /** Single creates and single updates measured, each (fewer once `budgetMs` is spent). */
  ops: number;
  /** Create-agent workflows measured one after another (fewer once `budgetMs` is spent). */
  workflows: number;
  /** Time after which a workload of single operations stops early (having measured at least one). */
  budgetMs: number;
  /** Create-agent workflows started at once; 0 leaves the concurrent workload out of this round. */
  concurrency: number;
  /**
   * Processes that run `processWorkflows` create-agent workflows together, against the run of one process (stores
   * several processes may share); 0 leaves the workload out of this round.
   */
  processes: number;
  processWorkflows: number;
}

/** What one contender measured in one round. */
export interface RoundSamples {
  openMs: number;
  /** Personalities the open listed (templates included, for agentcfg). */
  listed: number;
  createMs: number[];
  updateMs: number[];
  workflowMs: number[];
  /** CPU time (user + system, every thread of the process) over all of `workflowMs`' workflows, ms. */
  workflowCpuMs: number;
  /** File-system calls over all of `workflowMs`' workflows, for stores that count them (Contender.ioCounts). */
  workflowIo?: IoCounts;
  /** Operations run one at a time that failed (their time is still in the samples): workload and message, how many. */
  failures: Record<string, number>;
  /** Absent in rounds that leave the concurrent workload out. */
  concurrent?: {
    wallMs: number;
    /** Each concurrent workflow's time from the common start to its end. */
    latencyMs: number[];
    completed: number;
    /** Why the workflows that did not complete failed: message (workflow ids left out) and how many. */
    errors: Record<string, number>;
    /** Of the completed workflows, how many agents were not found stored afterwards. */
    lost: number;
    /** File-system calls from the common start to the last workflow's end, for stores that count them. */
    io?: IoCounts;
  };
  /** The same concurrent workload started when the store's next write folds its change log (stores that have one). */
  concurrentWithFold?: RoundSamples['concurrent'];
  /** The same workflows run by one process, then by `plan.processes` at once; absent where left out or not shareable. */
  processes?: { one: ProcessRun; many: ProcessRun };
  /** Bytes on disk in the folder after the fill (0 for a database). */
  filledBytes: number;
}

async function folderBytes(dir: string): Promise<number> {
  let total = 0;
  for (const entry of await fsp.readdir(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) total += (await fsp.stat(join(entry.parentPath, entry.name))).size;
  }
  return total;
}

/** Fills a fresh folder with `plan.size` personalities, then measures every workload once in order. */
export async function runRound(name: ContenderName, contender: Contender, dir: string, plan: RoundPlan): Promise<RoundSamples> {
  const existing = existingPersonalities(plan.size);
  await contender.fill(dir, existing);
  const filledBytes = await folderBytes(dir);
  let listed = 0;
  const openMs = await timed(async () => (listed = await contender.openAndList()));

  const failures: Record<string, number> = {};
  const repeat = (workload: string, count: number, work: (i: number) => Promise<void>) =>
    repeatTimed(count, plan.budgetMs, work, (message) => tally(failures, `${workload}: ${message}`));
  const createMs = await repeat('create', plan.ops, (i) => contender.createPersonality(personalityInput(`c-${plan.round}-${i}`, i)));
  // Spread over the collection, so no one spot of the file is favoured.
  const targetOf = (i: number) => existing[Math.floor(((i + 0.5) * existing.length) / plan.ops)]?.id ?? 'p-0';
  const updateMs = await repeat('update', plan.ops, (i) => contender.updatePersonality(targetOf(i), { humor: (plan.round * 31 + i) % 101 }));
  const ioBefore = contender.ioCounts?.();
  const cpuBefore = process.cpuUsage();
  const workflowMs = await repeat('workflow', plan.workflows, (i) => contender.createAgentWithDependencies(agentRequest(`s${plan.round}-${i}`, i)));
  const cpu = process.cpuUsage(cpuBefore);
  const ioAfter = contender.ioCounts?.();
  const workflowCpuMs = (cpu.user + cpu.system) / 1000;
  const workflowIo = ioBefore && ioAfter ? callsBetween(ioBefore, ioAfter) : undefined;

  let concurrent: RoundSamples['concurrent'];
  let concurrentWithFold: RoundSamples['concurrent'];
  if (plan.concurrency > 0) {
    // A store that folds a log runs the burst twice: once where no fold falls in it, once where its first write folds.
    const folds = (await contender.prepareFold?.(false)) === true;
    concurrent = await runConcurrently(contender, plan, 'm');
    if (folds && (await contender.prepareFold?.(true))) concurrentWithFold = await runConcurrently(contender, plan, 'f');
  }
  const processes = plan.processes > 0 && contender.sharedLocation ? await runInProcesses(name, contender, plan.round, plan.processes, plan.processWorkflows) : undefined;
  await contender.close();
  return {
    openMs,
    listed,
    createMs,
    updateMs,
    workflowMs,
    workflowCpuMs,
    ...(workflowIo && { workflowIo }),
    failures,
    ...(concurrent && { concurrent }),
    ...(concurrentWithFold && { concurrentWithFold }),
    ...(processes && { processes }),
    filledBytes,
  };
}

/** Counts one more of `message`, with workflow ids left out so alike failures add up. */
function tally(counts: Record<string, number>, message: string): void {
  const key = message.replace(/ \([0-9a-f-]{36}\)/g, '');
  counts[key] = (counts[key] ?? 0) + 1;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Times `work` up to `count` times, one after another, stopping early once `budgetMs` is spent; a failure is timed too. */
async function repeatTimed(count: number, budgetMs: number, work: (i: number) => Promise<void>, onFailure: (message: string) => void): Promise<number[]> {
  const samples: number[] = [];
  const start = performance.now();
  for (let i = 0; i < count && (i === 0 || performance.now() - start < budgetMs); i++) {
    samples.push(await timed(() => work(i).catch((error: unknown) => onFailure(messageOf(error)))));
  }
  return samples;
}

async function runConcurrently(contender: Contender, plan: RoundPlan, tag: string): Promise<NonNullable<RoundSamples['concurrent']>> {
  const requests = Array.from({ length: plan.concurrency }, (_, i) => agentRequest(`${tag}${plan.round}-${i}`, i));
  const ioBefore = contender.ioCounts?.();
  const start = performance.now();
  const outcomes = await Promise.allSettled(
    requests.map(async (request) => {
      await contender.createAgentWithDependencies(request);
      return performance.now() - start;
    }),
  );
  const wallMs = performance.now() - start;
  const ioAfter = contender.ioCounts?.();
  const stored = await contender.agentIds();
  const latencyMs: number[] = [];
  const errors: Record<string, number> = {};
  let lost = 0;
  outcomes.forEach((outcome, i) => {
    if (outcome.status === 'rejected') {
      tally(errors, messageOf(outcome.reason));
      return;
    }
    latencyMs.push(outcome.value);
    if (!stored.has(requests[i]?.agent.id ?? '')) lost++;
  });
  return { wallMs, latencyMs, completed: latencyMs.length, errors, lost, ...(ioBefore && ioAfter && { io: callsBetween(ioBefore, ioAfter) }) };
}
