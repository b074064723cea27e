import { CONTENDERS, type ContenderName } from './contender';
import { createContender } from './contenders/index';
import type { AgentRequest } from './records';

/**
 * One of the processes of the "processes at once" workload (see processes.ts): it opens the store another
 * process filled, runs the create-agent workflows it is handed one after another, says which of the agents it is
 * asked about its store does not list, and closes the store.
 */
export type HelperRequest =
  | { type: 'attach'; location: string; warmup: AgentRequest }
  | { type: 'run'; requests: AgentRequest[] }
  | { type: 'see'; agentIds: string[] }
  | { type: 'detach' };

/** What the helper answers each request with. */
export type HelperReply =
  | { type: 'ready' }
  | { type: 'done'; latencyMs: number[]; completedIds: string[]; errors: Record<string, number> }
  /** Of the agents asked about, how many this process's store does not list. */
  | { type: 'seen'; missing: number }
  | { type: 'closed' }
  | { type: 'failed'; error: string };

const name = process.argv[2] as ContenderName;
if (!CONTENDERS.includes(name)) throw new Error(`unknown contender '${name}'`);
const contender = createContender(name);

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

async function answer(request: HelperRequest): Promise<HelperReply> {
  switch (request.type) {
    case 'attach': {
      if (!contender.attach) throw new Error(`${name} cannot be opened by another process`);
      await contender.attach(request.location);
      // Unmeasured: the process's first workflow opens its connections and warms its code up.
      await contender.createAgentWithDependencies(request.warmup);
      return { type: 'ready' };
    }
    case 'run': {
      const latencyMs: number[] = [];
      const completedIds: string[] = [];
      const errors: Record<string, number> = {};
      for (const workflow of request.requests) {
        const start = performance.now();
        try {
          await contender.createAgentWithDependencies(workflow);
          latencyMs.push(performance.now() - start);
          completedIds.push(workflow.agent.id);
        } catch (error) {
          const message = messageOf(error).replace(/ \([0-9a-f-]{36}\)/g, '');
          errors[message] = (errors[message] ?? 0) + 1;
        }
      }
      return { type: 'done', latencyMs, completedIds, errors };
    }
    case 'see': {
      // After every process is done: this one's next read must show what the others stored.
      const stored = await contender.agentIds();
      return { type: 'seen', missing: request.agentIds.filter((id) => !stored.has(id)).length };
    }
    case 'detach':
      await contender.close();
      return { type: 'closed' };
  }
}

// Once the worker lets go (after 'detach', or after a failure), nothing more is asked: connections left open must
// not keep the process alive.
process.once('disconnect', () => process.exit());

process.on('message', (request: HelperRequest) => {
  void answer(request)
    .catch((error: unknown): HelperReply => ({ type: 'failed', error: error instanceof Error ? (error.stack ?? error.message) : String(error) }))
    .then((reply) => process.send?.(reply));
});
