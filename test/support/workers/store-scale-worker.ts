// One app instance of a scale-out run: a separate OS process with its own configuration service on a PostgreSQL
// store that other instances share. Usage:
//   store-scale-worker <url> merge <personalityId> <count> <tag>
//     `count` updates of one personality, each against the version just read, with the merge strategy, each
//     setting only the trait named by `tag` (which this worker alone writes) to i % 101. Before every update it
//     checks that its previous write is still there, and that the update's result keeps it. A CONFLICT (the base
//     left the kept history) or UNAVAILABLE is retried from a fresh read.
//     Prints {"mode","tag","field","updates","versions","lost","merged","conflicts","unavailable","last"}:
//     `versions` are the versions its updates produced, so the parent can check every version came from one update.
//   store-scale-worker <url> workflows <count> <tag>
//     `count` create-agent workflows with ids `<tag>-<i>-p|r|a`; one that ends UNAVAILABLE (compensated) is run again.
//     Prints {"mode","tag","completed","agents","retried","pid"}.
// Any other error ends the process with code 1 and its stack on stderr.
import 'reflect-metadata';
import { hasErrorCode } from '../../../src/domain/errors/agentcfg-error';
import { PERSONALITY_TRAITS } from '../../../src/domain/personality/personality';
import { createConfigurationService } from '../../../src/create-configuration-service';
import type { IConfigurationService } from '../../../src/services/configuration/configuration-service';
import { agentWithDependencies } from '../records';

const USAGE = 'usage: store-scale-worker <url> merge <personalityId> <count> <tag> | <url> workflows <count> <tag>';

function countOf(text: string | undefined): number {
  const count = Number(text);
  if (!Number.isInteger(count) || count < 1) throw new Error(`${USAGE} (count '${text}' is not a positive integer)`);
  return count;
}

async function merges(configuration: IConfigurationService, id: string, count: number, field: string): Promise<Record<string, unknown>> {
  if (!(PERSONALITY_TRAITS as readonly string[]).includes(field)) throw new Error(`${USAGE} (tag '${field}' must name a personality trait)`);
  const versions: number[] = [];
  let lost = 0;
  let merged = 0;
  let conflicts = 0;
  let unavailable = 0;
  let written: number | undefined;
  for (let i = 1; i <= count; i++) {
    const value = i % 101;
    for (;;) {
      const current = (await configuration.getPersonality(id)) as unknown as (Record<string, unknown> & { version: number }) | null;
      if (!current) throw new Error(`personality ${id} vanished`);
      if (written !== undefined && current[field] !== written) lost++;
      try {
        const { record } = await configuration.updateRecord('personality', id, { [field]: value }, { expectedVersion: current.version, strategy: 'merge' });
        const result = record as unknown as Record<string, unknown> & { version: number };
        if (result[field] !== value) lost++;
        if (result.version > current.version + 1) merged++;
        versions.push(result.version);
        written = value;
        break;
      } catch (error) {
        if (hasErrorCode(error, 'CONFLICT')) conflicts++;
        else if (hasErrorCode(error, 'UNAVAILABLE')) unavailable++;
        else throw error;
      }
    }
  }
  return { field, updates: versions.length, versions, lost, merged, conflicts, unavailable, last: written };
}

async function workflows(configuration: IConfigurationService, count: number, tag: string): Promise<Record<string, unknown>> {
  let completed = 0;
  let retried = 0;
  const agents: string[] = [];
  for (let i = 1; i <= count; i++) {
    for (;;) {
      try {
        const { result, workflow } = await configuration.createAgentWithDependencies(agentWithDependencies(`${tag}-${i}`));
        if (workflow.status !== 'COMPLETED') throw new Error(`workflow ${workflow.id} returned ${workflow.status}`);
        agents.push(result.agent.id);
        completed++;
        break;
      } catch (error) {
        // Compensated: nothing of it is left, so the same request may run again.
        if (!hasErrorCode(error, 'UNAVAILABLE')) throw error;
        retried++;
      }
    }
  }
  return { completed, agents, retried, pid: process.pid };
}

async function main(): Promise<void> {
  const [url, mode, ...rest] = process.argv.slice(2);
  if (!url || (mode !== 'merge' && mode !== 'workflows')) throw new Error(USAGE);
  const configuration = await createConfigurationService({ store: { url } });
  try {
    const [first, second, third] = rest;
    const counts =
      mode === 'merge'
        ? await merges(configuration, first ?? '', countOf(second), third ?? '')
        : await workflows(configuration, countOf(first), second ?? 'w');
    process.stdout.write(`${JSON.stringify({ mode, tag: mode === 'merge' ? third : second, ...counts })}\n`);
  } finally {
    await configuration.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
