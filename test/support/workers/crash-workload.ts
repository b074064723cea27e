// A separate OS process that runs a mixed workload of workflows and updates on a data folder until it is
// killed. It loads, prints LOADED and waits for "GO" on stdin (so the parent can start it while the previous
// worker still runs), opens the folder, prints READY, and then reports every operation on stdout:
//   BEGIN {"op","name","targets":["kind:id",...]}   before it starts: every record it may change
//   ACK {"op","writes":[{"kind","id","version","digest"}|{"kind","id","deleted":true}]}   once it returned
//   NACK {"op","code"}                                once it was refused or compensated (it must leave nothing)
// Usage: crash-workload <dataDir> <seed> [--broken-compensation] [--append-above=<bytes>]
//   --broken-compensation  every record service's revert is a Sinon stub that does nothing: the undo of a
//                          failed workflow silently leaves its changes, which the campaign must notice.
//   --append-above=<bytes> StorageOptions.appendAboveBytes (0: every change goes to the change logs).
import 'reflect-metadata';
import { createInterface } from 'node:readline';
import sinon from 'sinon';
import { digestOf } from '../../../src/audit/audit-entry';
import { createContainer } from '../../../src/di/container';
import { isAgentcfgError } from '../../../src/domain/errors/agentcfg-error';
import type { RecordKind } from '../../../src/domain/record';
import type { AnyRecord } from '../../../src/domain/records';
import { IConfigurationService } from '../../../src/services/configuration/configuration-service';
import type { IRecordService } from '../../../src/services/shared/record-service';
import { SERVICE_TOKENS } from '../coordination';
import { validRecords } from '../records';
import { seededRandom } from '../seeded-random';

function say(kind: 'LOADED' | 'READY' | 'BEGIN' | 'ACK' | 'NACK', body?: unknown): void {
  // One write per line; writes to a pipe are synchronous on Linux, so a printed ACK is in the pipe before the next write starts.
  process.stdout.write(body === undefined ? `${kind}\n` : `${kind} ${JSON.stringify(body)}\n`);
}

function waitForGo(): Promise<void> {
  return new Promise((resolve) => {
    const lines = createInterface({ input: process.stdin });
    lines.on('line', (line) => {
      if (line.trim() !== 'GO') return;
      lines.close();
      resolve();
    });
  });
}

/** One operation of the workload: the records it may change, and the change itself (true when it went through). */
interface Operation {
  name: string;
  targets: { kind: RecordKind; id: string }[];
  run(): Promise<{ ok: true } | { ok: false; code: string }>;
}

async function main(): Promise<void> {
  const [dataDir, seedText, ...flags] = process.argv.slice(2) as [string, string, ...string[]];
  const seed = Number(seedText);
  // Broken, the worker runs refused workflows more often, so a short self-test of the campaign sees their undo.
  const broken = flags.includes('--broken-compensation');
  const appendAbove = flags.find((f) => f.startsWith('--append-above='));
  const storage = appendAbove === undefined ? {} : { appendAboveBytes: Number(appendAbove.slice('--append-above='.length)) };
  const random = seededRandom(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const tag = `c${seed.toString(36)}`;
  let counter = 0;
  const freshId = (prefix: string) => `${tag}-${prefix}${++counter}`;
  const valid = validRecords();
  say('LOADED');
  await waitForGo();

  const container = createContainer({ ...storage, dataDir });
  if (broken) {
    for (const token of Object.values(SERVICE_TOKENS)) sinon.stub(container.get<IRecordService<unknown, unknown, unknown>>(token), 'revert').resolves('reverted');
  }
  const configuration = container.get<IConfigurationService>(IConfigurationService);
  await configuration.initialize();
  say('READY');

  const get = (kind: RecordKind, id: string): Promise<AnyRecord | null> =>
    kind === 'personality' ? configuration.getPersonality(id) : kind === 'role' ? configuration.getRole(id) : configuration.getAgent(id);
  const completed = async (work: Promise<{ status: string; error?: { code: string } }>) => {
    const run = await work;
    return run.status === 'COMPLETED' ? ({ ok: true } as const) : ({ ok: false, code: `${run.status}:${run.error?.code ?? '?'}` } as const);
  };
  const done = async (work: Promise<unknown>) => {
    await work;
    return { ok: true } as const;
  };

  for (let op = 1; ; op++) {
    const personalities = (await configuration.getAllPersonalities()).filter((p) => !p.isTemplate);
    const roles = (await configuration.getAllRoles()).filter((r) => !r.isTemplate);
    const agents = await configuration.getAllAgents();
    const usersOf = (field: 'personalityId' | 'roleId', id: string) => agents.filter((a) => a[field] === id).map((a) => ({ kind: 'agent' as const, id: a.id }));
    const options: [weight: number, make: () => Operation][] = [
      [
        3,
        () => {
          const [p, r, a] = [freshId('p'), freshId('r'), freshId('a')];
          return {
            name: 'create-with-dependencies',
            targets: [{ kind: 'personality', id: p }, { kind: 'role', id: r }, { kind: 'agent', id: a }],
            run: () =>
              done(
                configuration.createAgentWithDependencies({
                  personality: { ...valid.personality, id: p, humor: Math.floor(random() * 101) },
                  role: { ...valid.role, id: r },
                  agent: { ...valid.agent, id: a },
                }),
              ),
          };
        },
      ],
      [
        1,
        () => {
          const [p, r] = [freshId('p'), freshId('r')];
          return {
            name: 'import',
            targets: [{ kind: 'personality', id: p }, { kind: 'role', id: r }],
            run: () => done(configuration.importBundle({ personalities: [{ ...valid.personality, id: p }], roles: [{ ...valid.role, id: r }] })),
          };
        },
      ],
    ];
    if (personalities.length > 0) {
      options.push([
        3,
        () => {
          const p = pick(personalities);
          return {
            name: 'update-personality',
            targets: [{ kind: 'personality', id: p.id }, ...usersOf('personalityId', p.id)],
            run: () => done(configuration.updatePersonality(p.id, { humor: Math.floor(random() * 101) })),
          };
        },
      ]);
      options.push([
        personalities.length > 8 ? 3 : 1,
        () => {
          const p = pick(personalities);
          return {
            name: 'delete-personality-cascade',
            targets: [{ kind: 'personality', id: p.id }, ...usersOf('personalityId', p.id)],
            run: () => done(configuration.deletePersonality(p.id, { cascade: true })),
          };
        },
      ]);
    }
    if (roles.length > 0) {
      options.push([
        2,
        () => {
          const r = pick(roles);
          return {
            name: 'update-role',
            targets: [{ kind: 'role', id: r.id }, ...usersOf('roleId', r.id)],
            run: () => done(configuration.updateRole(r.id, { description: `revised ${Math.floor(random() * 1000)}` })),
          };
        },
      ]);
      options.push([
        roles.length > 8 ? 3 : 1,
        () => {
          const r = pick(roles);
          return { name: 'delete-role', targets: [{ kind: 'role', id: r.id }], run: () => done(configuration.deleteRole(r.id)) };
        },
      ]);
    }
    if (agents.length > 0) {
      options.push([
        2,
        () => {
          const a = pick(agents);
          const color = `#${Math.floor(random() * 0xffffff).toString(16).toUpperCase().padStart(6, '0')}`;
          return { name: 'update-agent', targets: [{ kind: 'agent', id: a.id }], run: () => done(configuration.updateAgent(a.id, { color })) };
        },
      ]);
      options.push([
        1,
        () => {
          const a = pick(agents);
          return { name: 'delete-agent', targets: [{ kind: 'agent', id: a.id }], run: () => done(configuration.deleteAgent(a.id)) };
        },
      ]);
      options.push([
        2,
        () => {
          const a = pick(agents);
          const r = freshId('r');
          return {
            name: 'workflow-move-agent-to-new-role',
            targets: [{ kind: 'role', id: r }, { kind: 'agent', id: a.id }],
            run: () =>
              completed(
                configuration.runWorkflow({
                  name: 'move-agent-to-new-role',
                  steps: [
                    { id: 'role', service: 'role', action: 'create', input: { ...valid.role, id: r, name: 'Moved to' } },
                    { id: 'agent', service: 'agent', action: 'update', input: { id: a.id, patch: { roleId: { $ref: 'steps.role.output.id' } } } },
                  ],
                }),
              ),
          };
        },
      ]);
      if (personalities.length > 0) {
        options.push([
          broken ? 6 : 2,
          () => {
            // Its last step is refused (a version that never was), so it is compensated: it must leave nothing.
            const [p, a, r] = [pick(personalities), pick(agents), freshId('r')];
            return {
              name: 'workflow-refused-at-last-step',
              targets: [{ kind: 'personality', id: p.id }, { kind: 'role', id: r }, { kind: 'agent', id: a.id }],
              run: () =>
                completed(
                  configuration.runWorkflow({
                    name: 'refused-at-last-step',
                    steps: [
                      { id: 'personality', service: 'personality', action: 'update', input: { id: p.id, patch: { humor: Math.floor(random() * 101) } } },
                      { id: 'role', service: 'role', action: 'create', input: { ...valid.role, id: r } },
                      { id: 'agent', service: 'agent', action: 'update', input: { id: a.id, patch: { color: '#000000' }, expectedVersion: a.version + 1000 } },
                    ],
                  }),
                ),
            };
          },
        ]);
      }
    }

    const total = options.reduce((sum, [weight]) => sum + weight, 0);
    let roll = random() * total;
    const chosen = options.find(([weight]) => (roll -= weight) < 0) ?? options[0];
    const operation = (chosen as [number, () => Operation])[1]();
    say('BEGIN', { op, name: operation.name, targets: operation.targets.map((t) => `${t.kind}:${t.id}`) });
    let outcome: { ok: true } | { ok: false; code: string };
    try {
      outcome = await operation.run();
    } catch (error) {
      if (!isAgentcfgError(error)) throw error;
      outcome = { ok: false, code: error.code };
    }
    if (!outcome.ok) {
      say('NACK', { op, code: outcome.code });
      continue;
    }
    const writes = [];
    for (const { kind, id } of operation.targets) {
      const record = await get(kind, id);
      writes.push(record ? { kind, id, version: record.version, digest: digestOf(record) } : { kind, id, deleted: true });
    }
    say('ACK', { op, writes });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
