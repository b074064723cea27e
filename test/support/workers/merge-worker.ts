// A separate OS process that makes N updates to one field of a personality, each against the version it just
// read, with the merge strategy, and checks before each update that its own previous write is still there.
// A merge whose base has left the kept history (others made 20+ changes meanwhile) is refused with CONFLICT,
// like a lock timeout (UNAVAILABLE); the worker then reads again and retries, as a client would.
// Usage: merge-worker <dataDir|postgres://…> <personalityId> <field> <count>; prints {"field", "lost", "merged", "retried"}.
import 'reflect-metadata';
import { hasErrorCode } from '../../../src/domain/errors/agentcfg-error';
import { createConfigurationService } from '../../../src/create-configuration-service';

async function main(): Promise<void> {
  const [store, id, field, countText] = process.argv.slice(2) as [string, string, string, string];
  const configuration = await createConfigurationService(/^postgres(ql)?:\/\//.test(store) ? { store: { url: store } } : { dataDir: store });
  let lost = 0;
  let merged = 0;
  let retried = 0;
  let written: number | undefined;
  for (let i = 1; i <= Number(countText); i++) {
    for (;;) {
      const current = (await configuration.getPersonality(id)) as unknown as Record<string, number> & { version: number };
      if (written !== undefined && current[field] !== written) lost++;
      try {
        const { record } = await configuration.updateRecord('personality', id, { [field]: i % 101 }, { expectedVersion: current.version, strategy: 'merge' });
        if (record.version > current.version + 1) merged++;
        written = i % 101;
        break;
      } catch (error) {
        if (!hasErrorCode(error, 'CONFLICT') && !hasErrorCode(error, 'UNAVAILABLE')) throw error;
        retried++;
      }
    }
  }
  process.stdout.write(`${JSON.stringify({ field, lost, merged, retried })}\n`);
  await configuration.close();
}

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
