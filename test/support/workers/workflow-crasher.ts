// A separate OS process that runs a workflow from a JSON file and stops dead at a chosen point, announcing
// "PAUSED" so the parent can SIGKILL it right there. Usage: workflow-crasher <dataDir|postgres://…> <workflow.json> <point>
//   before:<stepId>   after the step's intent is journaled, before its service call
//   after:<stepId>    after the step's service call wrote, before the step's result is journaled
//   mid-write:<n>     in the n-th change of a collection: before the rename over config/*.json (written whole)
//                     or the append to its change log (config/*.changes.jsonl)
// A fourth argument `journaled` adds a custom step after the others, so the workflow is journaled step by step
// instead of stored as one transaction (a killed one then leaves its journal for recovery).
import 'reflect-metadata';
import { promises as fsp, readFileSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import sinon from 'sinon';
import { createContainer } from '../../../src/di/container';
import { IConfigurationService } from '../../../src/services/configuration/configuration-service';
import { IAgentService } from '../../../src/services/agent/agent-service';
import { IPersonalityService } from '../../../src/services/personality/personality-service';
import { IRoleService } from '../../../src/services/role/role-service';
import type { IRecordService } from '../../../src/services/shared/record-service';

const hang = () => new Promise<never>(() => undefined);
const pause = () => {
  process.stdout.write('PAUSED\n');
  return hang();
};

async function main(): Promise<void> {
  const [dataDir, workflowFile, point, mode] = process.argv.slice(2) as [string, string, string, string | undefined];
  const [where, target] = point.split(':') as [string, string];
  const definition = JSON.parse(readFileSync(workflowFile, 'utf8')) as { steps: { id: string; service: string; action: string }[] };
  const container = createContainer(/^postgres(ql)?:\/\//.test(dataDir) ? { store: { url: dataDir } } : { dataDir });

  if (where === 'mid-write') {
    // A collection changes by a rename over its file (written whole) or by a line appended to its change log.
    let writes = 0;
    const inConfig = (path: unknown) => basename(dirname(String(path))) === 'config';
    const rename = fsp.rename.bind(fsp);
    sinon.stub(fsp, 'rename').callsFake(async (from, to) => {
      if (inConfig(to) && basename(String(to)).endsWith('.json') && ++writes === Number(target)) return pause();
      return rename(from, to);
    });
    const open = fsp.open.bind(fsp);
    sinon.stub(fsp, 'open').callsFake(async (path, flags, mode) => {
      if (inConfig(path) && String(path).endsWith('.changes.jsonl') && flags === 'a' && ++writes === Number(target)) return pause();
      return open(path, flags, mode);
    });
  } else {
    // Count calls per service method, so the n-th step on a service pauses on its own call.
    const step = definition.steps.find((s) => s.id === target);
    if (!step) throw new Error(`no step ${target}`);
    const ordinal = definition.steps.slice(0, definition.steps.indexOf(step) + 1).filter((s) => s.service === step.service && s.action === step.action).length;
    const token = { personality: IPersonalityService, role: IRoleService, agent: IAgentService }[step.service] as symbol;
    const real = container.get<IRecordService<unknown, unknown, unknown>>(token);
    let calls = 0;
    const method = step.action as 'create' | 'update' | 'delete';
    const wrapped = Object.create(real) as IRecordService<unknown, unknown, unknown>;
    wrapped[method] = (async (...args: unknown[]) => {
      if (++calls !== ordinal) return (real[method] as (...a: unknown[]) => Promise<unknown>).apply(real, args);
      if (where === 'before') return pause();
      await (real[method] as (...a: unknown[]) => Promise<unknown>).apply(real, args);
      return pause();
    }) as never;
    container.rebind(token).toConstantValue(wrapped);
  }

  const configuration = container.get<IConfigurationService>(IConfigurationService);
  await configuration.initialize();
  const steps = mode === 'journaled' ? [...definition.steps, { id: 'notify', custom: { run: async () => 'sent', compensate: async () => undefined } }] : definition.steps;
  const run = await configuration.runWorkflow({ ...definition, steps });
  process.stdout.write(`FINISHED ${run.status}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
