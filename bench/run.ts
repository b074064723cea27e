import { fork, spawnSync, type ChildProcess } from 'node:child_process';
import { promises as fsp } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { sharedCluster, stopSharedCluster, type ThrowawayCluster } from '../test/support/postgres/throwaway-cluster';
import { CONTENDERS, POSTGRES_CONTENDERS, POSTGRES_ENV, type ContenderName } from './contender';
import { judgeGoals } from './goals';
import { parseOptions, USAGE, type BenchOptions } from './options';
import { existingPersonalities, recordBytes } from './records';
import { failuresSection, goalsSection, LEGEND, resultsTable } from './report';
import { summarize, type SizeSummary } from './summary';
import type { RoundReply, RoundRequest } from './worker';
import type { RoundSamples } from './workloads';

/** A worker process running one contender at one size, one round per request. */
class ContenderProcess {
  private readonly child: ChildProcess;
  maxRssBytes = 0;

  /** `database`: a PostgreSQL contender's own database, handed to the worker in its environment (see POSTGRES_ENV). */
  constructor(readonly name: ContenderName, database?: { url: string; ownerUrl: string }) {
    const env = database ? { ...process.env, [POSTGRES_ENV.url]: database.url, [POSTGRES_ENV.ownerUrl]: database.ownerUrl } : process.env;
    // Inherits this process's `-r ts-node/register`.
    this.child = fork(join(__dirname, 'worker.ts'), [name], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], env });
  }

  run(request: RoundRequest): Promise<RoundSamples> {
    return new Promise((resolve, reject) => {
      const onExit = (code: number | null) => reject(new Error(`the ${this.name} worker exited (${code}) during a round`));
      this.child.once('exit', onExit);
      this.child.once('message', (reply: RoundReply) => {
        this.child.off('exit', onExit);
        if (!reply.ok) return reject(new Error(`${this.name}, ${request.plan.size} records, round ${request.plan.round + 1}: ${reply.error}`));
        this.maxRssBytes = Math.max(this.maxRssBytes, reply.maxRssBytes);
        resolve(reply.samples);
      });
      this.child.send(request);
    });
  }

  stop(): void {
    if (this.child.connected) this.child.disconnect();
  }
}

/**
 * Writes back every dirty page before a contender's round, so none pays in its fsyncs for what the one before it
 * left unsynced (lowdb and the fill of the files do not sync; on ext4 a later fsync can wait for them).
 */
function flushDisks(): void {
  spawnSync('sync', { stdio: 'ignore' });
}

/**
 * Each round runs every contender once, in an order rotated per round, so none always goes first. Each PostgreSQL
 * contender gets a fresh database of the run's server for the size (emptied again before each of its rounds).
 */
async function measureSize(size: number, options: BenchOptions, root: string, cluster: ThrowawayCluster): Promise<{ summary: SizeSummary; samples: Record<ContenderName, RoundSamples[]> }> {
  const workers: ContenderProcess[] = [];
  for (const name of CONTENDERS) workers.push(new ContenderProcess(name, POSTGRES_CONTENDERS.includes(name) ? await cluster.newDatabase() : undefined));
  const samples = Object.fromEntries(CONTENDERS.map((name) => [name, [] as RoundSamples[]])) as Record<ContenderName, RoundSamples[]>;
  try {
    for (let round = 0; round < options.rounds; round++) {
      const order = [...workers.slice(round % workers.length), ...workers.slice(0, round % workers.length)];
      const took: string[] = [];
      for (const worker of order) {
        flushDisks();
        const start = performance.now();
        const heavy = round < options.concurrentRounds;
        const plan = {
          size,
          round,
          ops: options.ops,
          workflows: options.workflows,
          budgetMs: options.budgetMs,
          concurrency: heavy ? options.concurrency : 0,
          processes: heavy ? options.processes : 0,
          processWorkflows: options.processWorkflows,
        };
        samples[worker.name].push(await worker.run({ plan, root }));
        took.push(`${worker.name} ${((performance.now() - start) / 1000).toFixed(1)} s`);
      }
      process.stderr.write(`bench: ${size.toLocaleString('en-US')} records, round ${round + 1}/${options.rounds}: ${took.join(', ')}\n`);
    }
  } finally {
    workers.forEach((worker) => worker.stop());
  }
  const contenders = Object.fromEntries(
    workers.map((worker) => [worker.name, summarize(samples[worker.name], options.concurrency, worker.maxRssBytes)]),
  ) as SizeSummary['contenders'];
  return { summary: { size, contenders }, samples };
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (args.includes('--help') || args.includes('-h')) return void process.stdout.write(`${USAGE}\n`);
  const options = parseOptions(args, process.env);
  // An interrupted run still stops the PostgreSQL server: exiting runs the exit hook sharedCluster() sets.
  for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143]] as const) process.once(signal, () => process.exit(code));
  const root = await fsp.mkdtemp(join(tmpdir(), 'agentcfg-bench-'));
  const started = performance.now();
  const sizes: SizeSummary[] = [];
  const samples: Record<number, Record<ContenderName, RoundSamples[]>> = {};
  try {
    // One throwaway PostgreSQL 15 server for the whole run (test/support/postgres), on a loopback port.
    const cluster = await sharedCluster();
    for (const size of options.sizes) {
      const measured = await measureSize(size, options, root, cluster);
      sizes.push(measured.summary);
      samples[size] = measured.samples;
    }
  } finally {
    await stopSharedCluster();
    await fsp.rm(root, { recursive: true, force: true });
  }
  const seconds = (performance.now() - started) / 1000;
  const goals = judgeGoals(sizes, options);
  const bytes = recordBytes(existingPersonalities(1)[0]);
  const machine = `${cpus().length} x ${cpus()[0]?.model ?? 'unknown CPU'}, Node ${process.version}, ${process.platform}`;

  const out = process.stdout;
  out.write(`\nagentcfg benchmark: ${options.rounds} rounds, sizes ${options.sizes.join(' / ')}, ${bytes}-byte personality records, ${machine}\n`);
  out.write(
    `medians over rounds; per round up to ${options.ops} creates and ${options.ops} updates and up to ${options.workflows} workflows one at a time ` +
      `(each workload stops after ${options.budgetMs / 1000} s; p50/p99 pooled over rounds); ${options.concurrency} workflows at once in the first ` +
      `${Math.min(options.concurrentRounds, options.rounds)} round(s), and there ${options.processWorkflows} workflows run by 1 process, then by ` +
      `${options.processes} processes at once\n\n`,
  );
  const sections = [resultsTable(sizes, options.concurrency, options.processes), LEGEND, failuresSection(sizes, options.concurrency, options.processes), goalsSection(goals)];
  out.write(`${sections.filter(Boolean).join('\n\n')}\n\n`);
  const { output, ...settings } = options;
  const results = { generatedAt: new Date().toISOString(), durationSeconds: Math.round(seconds), machine, settings, recordBytes: bytes, sizes, goals, samples };
  const rounded = (_key: string, value: unknown) => (typeof value === 'number' && !Number.isInteger(value) ? Math.round(value * 1000) / 1000 : value);
  await fsp.writeFile(output, `${JSON.stringify(results, rounded, 2)}\n`);
  out.write(`measured in ${seconds.toFixed(0)} s; results in ${output}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`bench: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
