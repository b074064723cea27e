import type { ContenderName } from './contender';
import { addCalls, type IoCounts } from './counting-file-system';
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
  /** CPU time (user + system) per workflow run one at a time, over every round's workflows. */
  workflowCpuMs: number;
  /**
   * Per workflow run one at a time, over every round's workflows, counted through the store's file-system port
   * (agentcfg on a folder; NaN for the others): every call, the fdatasyncs and fsyncs of files, those of folders.
   */
  workflowCalls: number;
  workflowFileSyncs: number;
  workflowFolderSyncs: number;
  /** Calls per workflow run one at a time, by name (empty where not counted). */
  workflowCallsByName: Record<string, number>;
  /** Syncs (files and folders) per workflow while `concurrency` run at once (the burst with no compaction in it). */
  concurrentSyncs: number;
  /** File-system calls per workflow while `concurrency` run at once. */
  concurrentCalls: number;
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
  /** After each run of the processes workload, each process's reads of every stored agent (processes x agents), and the misses. */
  processesSeenChecks: number;
  processesUnseen: number;
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
  const perWorkflow = (counts: readonly IoCounts[], workflows: number) => {
    const total = addCalls(counts);
    const per = (value: number) => (counts.length > 0 && workflows > 0 ? value / workflows : Number.NaN);
    return { total, calls: per(total.calls), fileSyncs: per(total.fileSyncs), folderSyncs: per(total.folderSyncs), syncs: per(total.fileSyncs + total.folderSyncs) };
  };
  const countedWorkflows = rounds.reduce((total, r) => total + (r.workflowIo ? r.workflowMs.length : 0), 0);
  const alone = perWorkflow(
    rounds.flatMap((r) => (r.workflowIo ? [r.workflowIo] : [])),
    countedWorkflows,
  );
  const countedBursts = concurrent.flatMap((c) => (c.io ? [c.io] : []));
  const together = perWorkflow(countedBursts, countedBursts.length * concurrency);
  return {
    rounds: rounds.length,
    openMs: median(rounds.map((r) => r.openMs)),
    listed: median(rounds.map((r) => r.listed)),
    createMs: median(rounds.flatMap((r) => r.createMs)),
    updateMs: median(rounds.flatMap((r) => r.updateMs)),
    workflowP50Ms: percentile(workflowMs, 50),
    workflowP99Ms: percentile(workflowMs, 99),
    workflowSamples: workflowMs.length,
    workflowCpuMs: workflowMs.length ? rounds.reduce((total, r) => total + r.workflowCpuMs, 0) / workflowMs.length : Number.NaN,
    workflowCalls: alone.calls,
    workflowFileSyncs: alone.fileSyncs,
    workflowFolderSyncs: alone.folderSyncs,
    workflowCallsByName: Object.fromEntries(Object.entries(alone.total.byName).map(([name, count]) => [name, count / countedWorkflows])),
    concurrentSyncs: together.syncs,
    concurrentCalls: together.calls,
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
    processesSeenChecks: everyProcessRun.reduce((total, run) => total + run.seenChecks, 0),
    processesUnseen: everyProcessRun.reduce((total, run) => total + run.unseen, 0),
    processesErrors: sum(everyProcessRun.map((run) => run.errors)),
    maxRssBytes,
    filledBytes: median(rounds.map((r) => r.filledBytes)),
  };
}
