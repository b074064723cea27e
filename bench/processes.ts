import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import type { Contender, ContenderName } from './contender';
import type { HelperReply, HelperRequest } from './process-worker';
import { agentRequest } from './records';

/** One run of the workload: `started` workflows split over some processes, all started at one moment. */
export interface ProcessRun {
  /** Processes that ran the workflows. */
  processes: number;
  /** From the moment every process was told to start to the moment the last one said it was done. */
  wallMs: number;
  /** Each completed workflow's own time, in the process that ran it (they run one after another there). */
  latencyMs: number[];
  started: number;
  completed: number;
  /** Why the workflows that did not complete failed: message and how many. */
  errors: Record<string, number>;
  /** Of the completed workflows, how many agents were not found stored afterwards. */
  lost: number;
  /**
   * After the last process was done, each process read the agents of every completed workflow (its own and the
   * others'): how many such reads there were (processes x agents), and how many did not find the agent.
   */
  seenChecks: number;
  unseen: number;
}

/** A helper process (process-worker.ts) running one contender. */
class Helper {
  private readonly child: ChildProcess;

  constructor(name: ContenderName) {
    // Inherits this process's `-r ts-node/register` and environment (a PostgreSQL contender's URLs among it).
    this.child = fork(join(__dirname, 'process-worker.ts'), [name], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  }

  ask(request: HelperRequest): Promise<Exclude<HelperReply, { type: 'failed' }>> {
    // One request at a time per helper: each reply is taken as the answer to the request before it.
    return new Promise((resolve, reject) => {
      const onExit = (code: number | null) => reject(new Error(`a helper process exited (${code}) during '${request.type}'`));
      this.child.once('exit', onExit);
      this.child.once('message', (reply: HelperReply) => {
        this.child.off('exit', onExit);
        if (reply.type === 'failed') reject(new Error(`a helper process failed at '${request.type}': ${reply.error}`));
        else resolve(reply);
      });
      this.child.send(request);
    });
  }

  stop(): void {
    if (this.child.connected) this.child.disconnect();
  }
}

/** Runs `requests` split over `helpers`, each its share one after another, all started at one moment. */
async function runSplit(helpers: readonly Helper[], requests: ReturnType<typeof agentRequest>[], contender: Contender): Promise<ProcessRun> {
  const shares = helpers.map((_, h) => requests.filter((_, i) => i % helpers.length === h));
  const start = performance.now();
  const replies = await Promise.all(helpers.map((helper, h) => helper.ask({ type: 'run', requests: shares[h] ?? [] })));
  const wallMs = performance.now() - start;
  const stored = await contender.agentIds();
  const errors: Record<string, number> = {};
  const latencyMs: number[] = [];
  const completedIds: string[] = [];
  let lost = 0;
  for (const reply of replies) {
    if (reply.type !== 'done') throw new Error(`a helper process answered '${reply.type}' to 'run'`);
    latencyMs.push(...reply.latencyMs);
    completedIds.push(...reply.completedIds);
    lost += reply.completedIds.filter((id) => !stored.has(id)).length;
    for (const [message, count] of Object.entries(reply.errors)) errors[message] = (errors[message] ?? 0) + count;
  }
  // Each process, once all are done, reads the agents every process stored.
  const seen = await Promise.all(helpers.map((helper) => helper.ask({ type: 'see', agentIds: completedIds })));
  const unseen = seen.reduce((total, reply) => total + (reply.type === 'seen' ? reply.missing : completedIds.length), 0);
  return {
    processes: helpers.length,
    wallMs,
    latencyMs,
    started: requests.length,
    completed: latencyMs.length,
    errors,
    lost,
    seenChecks: helpers.length * completedIds.length,
    unseen,
  };
}

/**
 * The "processes at once" workload: `workflows` create-agent workflows run by one process, then as many run by
 * `processes` processes at the same time (each its share, one after another), on the store `contender` filled.
 * Each process opens the store and runs one unmeasured workflow before the clock starts; after each run, every
 * process that ran it reads the agents all of them stored.
 */
export async function runInProcesses(name: ContenderName, contender: Contender, round: number, processes: number, workflows: number): Promise<{ one: ProcessRun; many: ProcessRun }> {
  const location = contender.sharedLocation?.();
  if (location === undefined) throw new Error(`${name} cannot be shared by processes`);
  const helpers = Array.from({ length: processes }, () => new Helper(name));
  try {
    await Promise.all(helpers.map((helper, h) => helper.ask({ type: 'attach', location, warmup: agentRequest(`w${round}-${h}`, h) })));
    const requests = (tag: string) => Array.from({ length: workflows }, (_, i) => agentRequest(`${tag}${round}-${i}`, i));
    const one = await runSplit(helpers.slice(0, 1), requests('o'), contender);
    const many = await runSplit(helpers, requests('q'), contender);
    await Promise.all(helpers.map((helper) => helper.ask({ type: 'detach' })));
    return { one, many };
  } finally {
    helpers.forEach((helper) => helper.stop());
  }
}
