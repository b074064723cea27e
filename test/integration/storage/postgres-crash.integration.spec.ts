import { expect } from 'chai';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createConfigurationService } from '../../../src/create-configuration-service';
import type { IConfigurationService } from '../../../src/services/configuration/configuration-service';
import { multiServiceWorkflows, seedValidRecords } from '../../support/coordination';
import { loadFixture } from '../../support/fixtures';
import { sharedCluster, stopSharedCluster } from '../../support/postgres/throwaway-cluster';
import { snapshotRecords } from '../../support/records-snapshot';
import { runCli } from '../../support/run-cli';
import { runCliInProcess } from '../../support/run-cli-in-process';
import { startCompiledWorker } from '../../support/compiled-workers';
import { waitForExit, waitForLine } from '../../support/run-worker';
import { makeTempDir } from '../../support/test-container';

const crashes = loadFixture<{ crashes: { workflow: string; points: string[] }[] }>('service-coordination/consistency-scenarios.json').crashes;
const workflows = multiServiceWorkflows().workflows;

describe('Feature: a client killed mid-workflow leaves nothing of it in PostgreSQL', function () {
  this.timeout(120_000);
  let url: string;
  let configuration: IConfigurationService;

  beforeEach(async function () {
    const db = await (await sharedCluster()).newDatabase();
    url = db.url;
    expect((await runCliInProcess(['--store', db.ownerUrl, 'db', 'migrate'])).code).to.equal(0);
    configuration = await createConfigurationService({ store: { url } });
    await seedValidRecords(configuration);
  });
  afterEach(async function () {
    await configuration.close();
  });
  after(async function () {
    await stopSharedCluster();
  });

  // Every step boundary of every crash workflow; `mid-write` points are about collection files, not a database.
  // A workflow of record steps is one transaction: a client killed part way leaves nothing to recover.
  for (const crash of crashes) {
    for (const point of crash.points.filter((p) => !p.startsWith('mid-write'))) {
      it(`${crash.workflow}: SIGKILLed at ${point}, every record is as before at once, and recovery finds nothing to undo`, async function () {
        const before = await snapshotRecords(configuration);
        const runsBefore = await configuration.listWorkflows();
        const definition = workflows.find((w) => w.definition.name === crash.workflow)?.definition;
        const file = join(await makeTempDir(), 'workflow.json');
        await writeFile(file, JSON.stringify(definition));
        const child = await startCompiledWorker('workflow-crasher', [url, file, point]);
        const exited = waitForExit(child);
        await waitForLine(child, 'PAUSED');
        child.kill('SIGKILL');
        expect((await exited).signal).to.equal('SIGKILL');

        expect(await snapshotRecords(configuration), 'no other process sees a half-made change, before any recovery').to.deep.equal(before);
        expect(await configuration.listWorkflows(), 'nothing of the killed workflow is stored').to.deep.equal(runsBefore);
        const recovered = await runCli(['--store', url, '--json', 'workflow', 'recover']);
        expect(recovered.code, recovered.stdout + recovered.stderr).to.equal(0);
        expect(recovered.json<{ data: unknown[] }>().data).to.deep.equal([]);
        expect(await snapshotRecords(configuration)).to.deep.equal(before);
        const verified = await configuration.verify();
        expect(verified.findings).to.deep.equal([]);
      });
    }
  }
});
