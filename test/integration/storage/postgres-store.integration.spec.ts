import { expect } from 'chai';
import { Client } from 'pg';
import { createConfigurationService } from '../../../src/create-configuration-service';
import type { IConfigurationService } from '../../../src/services/configuration/configuration-service';
import { sharedCluster, stopSharedCluster } from '../../support/postgres/throwaway-cluster';
import { validRecords } from '../../support/records';
import { runCli } from '../../support/run-cli';
import { runCliInProcess } from '../../support/run-cli-in-process';
import { makeTempDir } from '../../support/test-container';
import { refusal } from '../../support/refusal';

/** Runs SQL as `url`'s role, returning the error the server answered with (or null). */
async function sqlError(url: string, sql: string, values: unknown[] = []): Promise<{ code?: string } | null> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql, values);
    return null;
  } catch (error) {
    return error as { code?: string };
  } finally {
    await client.end();
  }
}

const passwordOf = (url: string) => decodeURIComponent(new URL(url).password);

describe('Feature: the configuration service on PostgreSQL (--store, AGENTCFG_STORE, { store: { url } })', function () {
  this.timeout(120_000);
  let db: { url: string; ownerUrl: string };
  const opened: IConfigurationService[] = [];

  beforeEach(async function () {
    db = await (await sharedCluster()).newDatabase();
  });
  afterEach(async function () {
    for (const configuration of opened.splice(0)) await configuration.close();
  });
  after(async function () {
    await stopSharedCluster();
  });

  /** Creates the schema as the owner, then opens the service as the app's role, which may not change the schema. */
  async function openAsApp(): Promise<IConfigurationService> {
    const migrated = await runCliInProcess(['--store', db.ownerUrl, '--json', 'db', 'migrate']);
    expect(migrated.code, migrated.stdout).to.equal(0);
    const configuration = await createConfigurationService({ store: { url: db.url } });
    opened.push(configuration);
    return configuration;
  }

  it('the library keeps records, templates, references and history in the database, and names it without its password', async function () {
    const configuration = await openAsApp();
    const { personality, role, agent } = validRecords();
    await configuration.createPersonality(personality);
    await configuration.createRole(role);
    await configuration.createAgent(agent);
    await configuration.updatePersonality(personality.id, { humor: 7 });
    const resolved = await configuration.resolveAgent(agent.id);
    expect(resolved.personality.humor).to.equal(7);
    expect((await configuration.getAllRoles()).filter((r) => r.isTemplate)).to.have.length(10);
    expect((await configuration.recordHistory('personality', personality.id)).map((p) => p.version)).to.deep.equal([1]);
    const summary = await configuration.summary();
    expect(summary.dataDir).to.contain('127.0.0.1').and.not.contain(passwordOf(db.url));
    const verified = await configuration.verify();
    expect(verified.findings).to.deep.equal([]);
    expect(verified.consistent).to.equal(true);
    const again = await createConfigurationService({ store: { url: db.url } });
    opened.push(again);
    expect((await again.getPersonality(personality.id))?.version).to.equal(2);
  });

  it('the database refuses on its own what the service refuses: a used personality deleted by hand, an out-of-range trait', async function () {
    const configuration = await openAsApp();
    const { personality, role, agent } = validRecords();
    await configuration.createPersonality(personality);
    await configuration.createRole(role);
    await configuration.createAgent(agent);
    expect(await sqlError(db.ownerUrl, 'DELETE FROM agentcfg_personalities WHERE id = $1', [personality.id])).to.include({ code: '23503' });
    expect(await sqlError(db.ownerUrl, `UPDATE agentcfg_personalities SET record = jsonb_set(record, '{openness}', '150') WHERE id = $1`, [personality.id])).to.include({ code: '23514' });
    expect(await sqlError(db.ownerUrl, `UPDATE agentcfg_agents SET record = jsonb_set(record, '{color}', '"red"') WHERE id = $1`, [agent.id])).to.include({ code: '23514' });
    expect(await sqlError(db.ownerUrl, `UPDATE agentcfg_personalities SET record = jsonb_set(record, '{focus}', '-1') WHERE id = $1`, [personality.id])).to.include({ code: '23514' });
    expect((await configuration.getPersonality(personality.id))?.openness).to.equal(personality.openness);
  });

  it('the app role cannot create the schema: FORBIDDEN, naming `agentcfg db migrate`; a newer schema than the code knows is refused', async function () {
    expect(await sqlError(db.url, 'CREATE TABLE intruder (i integer)')).to.include({ code: '42501' });
    const unmigrated = await refusal(createConfigurationService({ store: { url: db.url } }));
    expect(unmigrated.code).to.equal('FORBIDDEN');
    expect(unmigrated.message).to.contain('agentcfg db migrate');
    await openAsApp();
    expect(await sqlError(db.ownerUrl, 'INSERT INTO agentcfg_schema (version) VALUES (99)')).to.equal(null);
    const newer = await refusal(createConfigurationService({ store: { url: db.url } }));
    expect(newer.code).to.equal('INTEGRITY_ERROR');
    expect(newer.message).to.contain('version 99');
  });

  it('the command line works on the database with --store or $AGENTCFG_STORE, and ends its process when done', async function () {
    const first = await runCliInProcess(['--store', db.ownerUrl, '--json', 'db', 'migrate']);
    expect(JSON.parse(first.stdout).data.applied).to.deep.equal([1, 2, 3]);
    const second = await runCliInProcess(['--store', db.ownerUrl, '--json', 'db', 'migrate']);
    expect(JSON.parse(second.stdout).data.applied).to.deep.equal([]);
    const { personality } = validRecords();
    const created = await runCli(['--json', 'personality', 'create', '--file', '-'], { stdin: JSON.stringify(personality), env: { AGENTCFG_STORE: db.url } });
    expect(created.code, created.stderr).to.equal(0);
    const listed = await runCli(['--store', db.url, '--json', 'personality', 'list']);
    expect(listed.code, listed.stderr).to.equal(0);
    expect(JSON.parse(listed.stdout).data.map((p: { id: string }) => p.id)).to.include(personality.id);
    const exported = await runCliInProcess(['--store', db.url, '--json', 'export']);
    expect(exported.code, exported.stdout).to.equal(0);
    expect(JSON.parse(exported.stdout).data.personalities.map((p: { id: string }) => p.id)).to.deep.equal([personality.id]);
    const both = await runCliInProcess(['--store', db.url, '--dir', '/tmp', '--json', 'personality', 'list']);
    expect(both.code).to.equal(3);
    expect(JSON.parse(both.stdout).error.details[0].path).to.equal('--store');
  });

  it('a change another process makes reaches this process\'s listeners within a second, woken by LISTEN/NOTIFY', async function () {
    await openAsApp();
    // Polling slowed to a minute: only a notification can bring the change in time.
    const watcher = await createConfigurationService({ store: { url: db.url }, changePollMs: 60_000 });
    opened.push(watcher);
    const seen: { id: string; at: number }[] = [];
    const subscription = watcher.onDidChange('personality', (event) => seen.push({ id: event.id, at: Date.now() }));
    await new Promise((resolve) => setTimeout(resolve, 300)); // the listening connection is up
    const { personality } = validRecords();
    const made = await runCli(['--store', db.url, '--json', 'personality', 'create', '--file', '-'], { stdin: JSON.stringify(personality) });
    expect(made.code, made.stderr).to.equal(0);
    const exited = Date.now();
    while (seen.length === 0 && Date.now() - exited < 5_000) await new Promise((resolve) => setTimeout(resolve, 20));
    subscription.dispose();
    expect(seen.map((e) => e.id)).to.deep.equal([personality.id]);
    expect(seen[0]!.at - exited).to.be.lessThan(1_000);
  });

  it('`db import-folder` copies a data folder whole, audit trail linked, and refuses a second copy changing nothing', async function () {
    const dir = await makeTempDir('agentcfg-folder-');
    const { personality, role, agent } = validRecords();
    for (const [kind, body] of [['personality', personality], ['role', role], ['agent', agent]] as const) {
      const made = await runCliInProcess(['--dir', dir, '--json', kind, 'create', '--file', '-'], { stdin: JSON.stringify(body) });
      expect(made.code, made.stdout).to.equal(0);
    }
    expect((await runCliInProcess(['--dir', dir, 'personality', 'update', personality.id, '--file', '-'], { stdin: '{"humor": 3}' })).code).to.equal(0);
    const folder = await createConfigurationService({ dataDir: dir });
    expect((await runCliInProcess(['--store', db.ownerUrl, 'db', 'migrate'])).code).to.equal(0);

    const copied = await runCliInProcess(['--store', db.url, '--json', 'db', 'import-folder', dir]);
    expect(copied.code, copied.stdout).to.equal(0);
    const database = await createConfigurationService({ store: { url: db.url } });
    opened.push(database);
    for (const kind of ['personality', 'role', 'connection', 'agent'] as const) {
      expect(await database.records(kind).list(), kind).to.deep.equal(await folder.records(kind).list());
    }
    expect(await database.recordHistory('personality', personality.id)).to.deep.equal(await folder.recordHistory('personality', personality.id));
    const source = await folder.auditEntries();
    const trail = await database.auditEntries();
    expect(trail.slice(0, source.length).map((e) => [e.actor, e.action, e.target, e.versionAfter])).to.deep.equal(source.map((e) => [e.actor, e.action, e.target, e.versionAfter]));
    expect(trail.at(-1)?.action).to.equal('store.copied');
    expect(trail.at(-1)?.reason).to.contain(source.at(-1)!.hash);
    expect(await database.verifyAudit()).to.include({ ok: true });

    const again = await runCliInProcess(['--store', db.url, '--json', 'db', 'import-folder', dir]);
    expect(again.code, again.stdout).to.equal(5);
    expect(await database.auditEntries()).to.have.length(trail.length);
  });

  it('a wrong password is FORBIDDEN, and neither it nor the real one appears in any output', async function () {
    await openAsApp();
    const wrong = new URL(db.url);
    wrong.password = 'not-the-password-4242';
    const run = await runCliInProcess(['--store', wrong.toString(), '--json', 'personality', 'list']);
    expect(run.code).to.equal(6);
    for (const secret of ['not-the-password-4242', passwordOf(db.url)]) expect(run.stdout + run.stderr).to.not.contain(secret);
  });
});
