import { join } from 'node:path';

/** What a run measures: sizes, rounds and how many operations each round times. */
export interface BenchOptions {
  /** Existing records in the store before each round. */
  sizes: number[];
  rounds: number;
  /** Single creates and single updates per round, each. */
  ops: number;
  /** Sequential create-agent workflows per round (pooled over rounds for p50 and p99). */
  workflows: number;
  /** A workload of single operations stops early, in a round, once it has run this long. */
  budgetMs: number;
  /** Create-agent workflows started at once. */
  concurrency: number;
  /** The concurrent workload, and the processes one, run in the first this many rounds (they are the slowest). */
  concurrentRounds: number;
  /** Processes running create-agent workflows at once against one store (agentcfg on a folder and on PostgreSQL, pg). */
  processes: number;
  /** Create-agent workflows run by one process, then split over `processes` processes. */
  processWorkflows: number;
  /** Where results.json goes. */
  output: string;
}

const DEFAULTS: BenchOptions = {
  sizes: [100, 1_000, 10_000],
  rounds: 5,
  ops: 5,
  workflows: 20,
  budgetMs: 3_000,
  concurrency: 32,
  concurrentRounds: 2,
  processes: 4,
  processWorkflows: 128,
  output: join(__dirname, 'results.json'),
};

/** A smoke run: small sizes, few rounds. */
const QUICK: Partial<BenchOptions> = { sizes: [100, 1_000], rounds: 2, ops: 3, workflows: 5, budgetMs: 2_000, concurrentRounds: 1, processWorkflows: 32 };

/** How to call the benchmark. */
export const USAGE = `usage: npm run bench -- [--quick] [--sizes 100,1000,10000] [--rounds 5] [--ops 5] [--workflows 20] [--budget-ms 3000]
                        [--concurrency 32] [--concurrent-rounds 2] [--processes 4] [--process-workflows 128] [--output file]
  (or the environment: BENCH_SIZES, BENCH_ROUNDS, BENCH_OPS, BENCH_WORKFLOWS, BENCH_BUDGET_MS, BENCH_CONCURRENCY, BENCH_CONCURRENT_ROUNDS,
  BENCH_PROCESSES, BENCH_PROCESS_WORKFLOWS, BENCH_OUTPUT)`;

type NumericOption = 'rounds' | 'ops' | 'workflows' | 'budgetMs' | 'concurrency' | 'concurrentRounds' | 'processes' | 'processWorkflows';

/** Numeric options by their command-line name. */
const NUMERIC: Readonly<Record<string, NumericOption>> = {
  rounds: 'rounds',
  ops: 'ops',
  workflows: 'workflows',
  'budget-ms': 'budgetMs',
  concurrency: 'concurrency',
  'concurrent-rounds': 'concurrentRounds',
  processes: 'processes',
  'process-workflows': 'processWorkflows',
};

function positive(name: string, text: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) throw new Error(`--${name} must be a whole number of at least 1, not '${text}'\n${USAGE}`);
  return value;
}

/** Options from the command line, then the environment, then the defaults. */
export function parseOptions(argv: readonly string[], env: NodeJS.ProcessEnv): BenchOptions {
  const given = new Map<string, string>();
  for (const key of ['sizes', 'output', ...Object.keys(NUMERIC)]) {
    const value = env[`BENCH_${key.toUpperCase().replace('-', '_')}`];
    if (value) given.set(key, value);
  }
  let options = { ...DEFAULTS };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '--quick') options = { ...options, ...QUICK };
    else if (arg.startsWith('--') && i + 1 < argv.length) given.set(arg.slice(2), argv[++i] as string);
    else throw new Error(`unknown argument '${arg}'\n${USAGE}`);
  }
  for (const [key, value] of given) {
    if (key === 'sizes') options.sizes = value.split(',').map((size) => positive('sizes', size.trim()));
    else if (key === 'output') options.output = value;
    else if (Object.hasOwn(NUMERIC, key)) options[NUMERIC[key] as NumericOption] = positive(key, value);
    else throw new Error(`unknown option '--${key}'\n${USAGE}`);
  }
  return options;
}
