import { promises as fsp } from 'node:fs';
import { join } from 'node:path';
import { CONTENDERS, type ContenderName } from './contender';
import { createContender } from './contenders/index';
import { runRound, type RoundPlan, type RoundSamples } from './workloads';

/** What the runner asks a worker: run one round in a fresh folder under `root` (a PostgreSQL contender: in its database, emptied). */
export interface RoundRequest {
  plan: RoundPlan;
  root: string;
}

/** A worker's answer: the samples and the worker's peak memory so far, or why the round failed. */
export type RoundReply = { ok: true; samples: RoundSamples; maxRssBytes: number } | { ok: false; error: string };

// One process per contender and size, so each one's peak memory is its own.
const name = process.argv[2] as ContenderName;
if (!CONTENDERS.includes(name)) throw new Error(`unknown contender '${name}'`);

// Once the runner lets go, nothing more is asked: a round that failed may have left connections open (a pool),
// which must not keep the process alive.
process.once('disconnect', () => process.exit());

process.on('message', (request: RoundRequest) => {
  void answer(request).then((reply) => process.send?.(reply));
});

async function answer({ plan, root }: RoundRequest): Promise<RoundReply> {
  const dir = join(root, `${name}-${plan.size}-r${plan.round}`);
  try {
    await fsp.mkdir(dir, { recursive: true });
    const samples = await runRound(name, createContender(name), dir, plan);
    return { ok: true, samples, maxRssBytes: process.resourceUsage().maxRSS * 1024 };
  } catch (error) {
    return { ok: false, error: error instanceof Error ? (error.stack ?? error.message) : String(error) };
  } finally {
    await fsp.rm(dir, { recursive: true, force: true });
  }
}
