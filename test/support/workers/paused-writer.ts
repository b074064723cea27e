// A separate OS process that starts an update and stops dead between writing the temp file and renaming it
// over personalities.json, announcing "PAUSED <tempPath>" so the parent can SIGKILL it right there. Its
// collections are written whole on every change (no change logs), so the update is such a replace.
// Usage: paused-writer <dataDir> <personalityId>
import 'reflect-metadata';
import { promises as fsp } from 'node:fs';
import { basename } from 'node:path';
import sinon from 'sinon';
import { createConfigurationService } from '../../../src/create-configuration-service';

async function main(): Promise<void> {
  const [dataDir, id] = process.argv.slice(2) as [string, string];
  const configuration = await createConfigurationService({ dataDir, appendAboveBytes: Infinity });
  const rename = fsp.rename.bind(fsp);
  sinon.stub(fsp, 'rename').callsFake(async (from, to) => {
    if (basename(String(to)) === 'personalities.json') {
      process.stdout.write(`PAUSED ${String(from)}\n`);
      return new Promise<void>(() => undefined); // never renames: the parent kills us here
    }
    return rename(from, to);
  });
  await configuration.updatePersonality(id, { name: 'Never written' });
}

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
