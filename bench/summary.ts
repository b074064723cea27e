import type { ContenderName } from './contender';
import type { ProcessRun } from './processes';
import { median, percentile } from './stats';
import type { RoundSamples } from './workloads';

/** One contender at one size: medians over the rounds (timed operations pooled over rounds), in ms. */
export interface ContenderSummary {
  rounds: number;
  openMs: number;
  /** Personalities the open listed. */
  listed: number;
  createMs: number;
  updateMs: number;
  workflowP50Ms: number;
  workflowP99Ms: number;
  workflowSamples: number;
  /** p50 of the fdatasyncs a workflow must make, alone (see Contender.requiredSyncs); NaN for stores without it. */
  requiredSyncsP50Ms: number;
  /** Operations run one at a time that failed: workload and message, how many, over all rounds. */
  failures: Record<string, number>;
  /** Rounds that ran the concurrent workload. */
  concurrentRounds: number;
  /** Create-agent workflows per second while `concurrency` run at once. */
  concurrentPerSecond: number;
  /** p99 of one concurrent workflow's time, from the common start to its end. */
  concurrentP99Ms: number;
  concurrentStarted: number;
  concurrentCompleted: number;
  /** Completed workflows whose agent was not found stored afterwards. */
  concurrentLost: number;
  /** Why the workflows that did not complete failed: message and how many, over all rounds. */
  concurrentErrors: Record<string, number>;
  /** p99 of the concurrent workload started when the next write folds the change log; NaN where none was run. */
  concurrentWithFoldP99Ms: number;
  /** Rounds that ran the processes workload (0 for stores one process keeps to itself). */
  processRounds: number;
  /** Processes of the processes workload. */
  processes: number;
  /** Create-agent workflows per second run by one process, one after another. */
  oneProcessPerSecond: number;
  /** The same number of workflows per second run by `processes` processes at once, each its share one after another. */
  manyProcessesPerSecond: number;
  /** manyProcessesPerSecond / oneProcessPerSecond. */
  processesSpeedup: number;
  /** p50 and p99 of one workflow's own time while `processes` processes run them. */
  manyProcessesP50Ms: number;
  manyProcessesP99Ms: number;
  processesStarted: number;
  processesCompleted: number;
  processesLost: number;
  processesErrors: Record<string, number>;
  /** Peak resident memory of the process that ran this contender at this size. */
  maxRssBytes: number;
  /** Bytes in the folder once filled. */
  filledBytes: number;
}

/** Every contender at one size. */
export interface SizeSummary {
  size: number;
  contenders: Record<ContenderName, ContenderSummary>;
}

/** Reduces one contender's rounds at one size to the figures the report prints. */
export function summarize(rounds: readonly RoundSamples[], concurrency: number, maxRssBytes: number): ContenderSummary {
  const workflowMs = rounds.flatMap((r) => r.workflowMs);
  const concurrent = rounds.flatMap((r) => (r.concurrent ? [r.concurrent] : []));
  // Every concurrent burst counts for "nothing lost", the one with a fold in it too.
  const bursts = rounds.flatMap((r) => [r.concurrent, r.concurrentWithFold].flatMap((c) => (c ? [c] : [])));
  const processRuns = rounds.flatMap((r) => (r.processes ? [r.processes] : []));
  const perSecond = (run: ProcessRun) => (run.completed * 1000) / run.wallMs;
  const oneProcessPerSecond = median(processRuns.map((p) => perSecond(p.one)));
  const manyProcessesPerSecond = median(processRuns.map((p) => perSecond(p.many)));
  const everyProcessRun = processRuns.flatMap((p) => [p.one, p.many]);
  const sum = (counts: Record<string, number>[]) => {
    const total: Record<string, number> = {};
    for (const [message, count] of counts.flatMap((c) => Object.entries(c))) total[message] = (total[message] ?? 0) + count;
    return total;
  };
  return {
    rounds: rounds.length,
    openMs: median(rounds.map((r) => r.openMs)),
    listed: median(rounds.map((r) => r.listed)),
    createMs: median(rounds.flatMap((r) => r.createMs)),
    updateMs: median(rounds.flatMap((r) => r.updateMs)),
    workflowP50Ms: percentile(workflowMs, 50),
    workflowP99Ms: percentile(workflowMs, 99),
    workflowSamples: workflowMs.length,
    requiredSyncsP50Ms: percentile(rounds.flatMap((r) => r.requiredSyncsMs ?? []), 50),
    failures: sum(rounds.map((r) => r.failures)),
    concurrentRounds: concurrent.length,
    concurrentPerSecond: median(concurrent.map((c) => (c.completed * 1000) / c.wallMs)),
    concurrentP99Ms: percentile(concurrent.flatMap((c) => c.latencyMs), 99),
    concurrentStarted: bursts.length * concurrency,
    concurrentCompleted: bursts.reduce((sum, c) => sum + c.completed, 0),
    concurrentLost: bursts.reduce((sum, c) => sum + c.lost, 0),
    concurrentErrors: sum(bursts.map((c) => c.errors)),
    concurrentWithFoldP99Ms: percentile(rounds.flatMap((r) => r.concurrentWithFold?.latencyMs ?? []), 99),
    processRounds: processRuns.length,
    processes: processRuns[0]?.many.processes ?? 0,
    oneProcessPerSecond,
    manyProcessesPerSecond,
    processesSpeedup: manyProcessesPerSecond / oneProcessPerSecond,
    manyProcessesP50Ms: percentile(processRuns.flatMap((p) => p.many.latencyMs), 50),
    manyProcessesP99Ms: percentile(processRuns.flatMap((p) => p.many.latencyMs), 99),
    processesStarted: everyProcessRun.reduce((total, run) => total + run.started, 0),
    processesCompleted: everyProcessRun.reduce((total, run) => total + run.completed, 0),
    processesLost: everyProcessRun.reduce((total, run) => total + run.lost, 0),
    processesErrors: sum(everyProcessRun.map((run) => run.errors)),
    maxRssBytes,
    filledBytes: median(rounds.map((r) => r.filledBytes)),
  };
}
