// A separate OS process committing to a store the way the conformance suite's own process does.
// Usage: store-committer <target JSON> increment <id> <count> <tag>   read-check-commit `count` times, retrying on CONFLICT
//        store-committer <target JSON> put <id>                        one commit creating a personality
import 'reflect-metadata';
import { hasErrorCode } from '../../../src/domain/errors/agentcfg-error';
import { openStore, type StoreTarget } from '../store-conformance/store-target';
import { auditOf, personalityAt } from '../store-conformance/test-records';

async function main(): Promise<void> {
  const [targetJson, task, id, countText, tag] = process.argv.slice(2) as [string, string, string, string?, string?];
  const { store, context, close } = await openStore(JSON.parse(targetJson) as StoreTarget);
  let conflicts = 0;
  if (task === 'put') {
    await store.commit({ puts: [{ kind: 'personality', record: personalityAt(id, 1), expectedVersion: null }], audit: [auditOf('worker', 'test.put', { kind: 'personality', id }, null, 1)] }, { context });
  } else if (task === 'increment') {
    for (let i = 1; i <= Number(countText); i++) {
      for (;;) {
        try {
          await store.transact(async (view) => {
            const current = await view.get('personality', id);
            if (!current) throw new Error(`personality ${id} vanished`);
            const note = current.customInstructions ? `${current.customInstructions},${tag}${i}` : `${tag}${i}`;
            const next = personalityAt(id, current.version + 1, note);
            return {
              commit: {
                puts: [{ kind: 'personality', record: next, expectedVersion: current.version }],
                history: [{ kind: 'personality', record: current }],
                audit: [auditOf(String(tag), 'test.increment', { kind: 'personality', id }, current.version, next.version)],
              },
              result: undefined,
            };
          }, { context });
          break;
        } catch (error) {
          if (!hasErrorCode(error, 'CONFLICT') && !hasErrorCode(error, 'UNAVAILABLE')) throw error;
          conflicts++;
        }
      }
    }
  } else {
    throw new Error(`unknown task ${task}`);
  }
  await close();
  process.stdout.write(`${JSON.stringify({ task, conflicts })}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
