// A separate OS process that applies N updates to one personality, retrying on CONFLICT, and tags each
// update so the parent can prove none was lost. Usage: update-worker <dataDir> <personalityId> <tag> <count>
import 'reflect-metadata';
import { hasErrorCode } from '../../../src/domain/errors/agentcfg-error';
import { createConfigurationService } from '../../../src/create-configuration-service';

async function main(): Promise<void> {
  const [dataDir, id, tag, countText] = process.argv.slice(2) as [string, string, string, string];
  const configuration = await createConfigurationService({ dataDir });
  let conflicts = 0;
  for (let i = 1; i <= Number(countText); i++) {
    for (;;) {
      const current = await configuration.getPersonality(id);
      if (!current) throw new Error(`personality ${id} vanished`);
      const log = current.customInstructions ? `${current.customInstructions},${tag}${i}` : `${tag}${i}`;
      try {
        await configuration.updatePersonality(id, { customInstructions: log }, { expectedVersion: current.version });
        break;
      } catch (error) {
        if (!hasErrorCode(error, 'CONFLICT') && !hasErrorCode(error, 'UNAVAILABLE')) throw error;
        conflicts++;
      }
    }
  }
  process.stdout.write(`${JSON.stringify({ tag, conflicts })}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
