import { expect } from 'chai';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Connection } from '../../../src/domain/kinds/connection';
import { validRecords } from '../../support/records';
import { runCliInProcess } from '../../support/run-cli-in-process';
import { auditEntriesOf, storedRecords } from '../../support/store-state';
import { createTestContainer, describeFileStoreOnly, type TestContainer } from '../../support/test-container';
import { refusal } from '../../support/refusal';

const cloud = { id: 'cloud', name: 'Cloud', provider: 'anthropic', apiKeyRef: 'env:ANTHROPIC_API_KEY', defaultModelId: 'claude-sonnet-4-0' } as const;

/** The agent fixture on anthropic, with a personality and a role of its own. */
async function agentParts(env: TestContainer): Promise<{ personalityId: string; roleId: string }> {
  const { personality, role } = validRecords();
  await env.configuration.createPersonality(personality);
  await env.configuration.createRole(role);
  return { personalityId: personality.id, roleId: role.id };
}

function agentOn(parts: { personalityId: string; roleId: string }, connectionId: string | undefined, provider = 'anthropic'): Record<string, unknown> {
  const { agent } = validRecords();
  return { ...agent, ...parts, ...(connectionId ? { connectionId } : {}), modelConfig: { provider, modelId: 'claude-sonnet-4-0' } };
}

describe('Feature: connections, the fourth kind of record, added through the registry', function () {
  let env: TestContainer;

  beforeEach(async function () {
    env = await createTestContainer();
  });

  afterEach(() => env.dispose());

  it('are created, read, updated, kept in history, restored and deleted like every kind', async function () {
    const connections = env.configuration.records('connection');
    const made = await connections.create(cloud);
    expect(made).to.include({ id: 'cloud', provider: 'anthropic', version: 1, isTemplate: false });
    expect((await connections.get('cloud'))?.apiKeyRef).to.equal('env:ANTHROPIC_API_KEY');
    const updated = await connections.update('cloud', { defaultModelId: 'claude-opus-4-1', apiKeyRef: null });
    expect(updated.version).to.equal(2);
    expect(updated.apiKeyRef).to.equal(undefined);
    expect((await connections.history('cloud')).map((c) => c.version)).to.deep.equal([1]);
    expect((await connections.restore('cloud', 1)).apiKeyRef).to.equal('env:ANTHROPIC_API_KEY');
    await connections.delete('cloud');
    expect(await connections.get('cloud')).to.equal(null);
  });

  it('ship one template, local-ollama, which nobody may delete and only an admin may change', async function () {
    const template = await env.configuration.records('connection').get('local-ollama');
    expect(template).to.include({ provider: 'ollama', baseUrl: 'http://127.0.0.1:11434', isTemplate: true });
    expect((await refusal(env.configuration.records('connection').delete('local-ollama'))).code).to.equal('FORBIDDEN');
    const editor = env.configuration.as({ actor: 'eve', role: 'editor' });
    expect((await refusal(editor.records('connection').update('local-ollama', { name: 'Mine' }))).code).to.equal('FORBIDDEN');
    expect((await env.configuration.records('connection').update('local-ollama', { name: 'Ollama here' })).name).to.equal('Ollama here');
  });

  it('refuse what is not a connection: a missing baseUrl where one is needed, a URL that is not http(s), a key instead of where it lives', async function () {
    const connections = env.configuration.records('connection');
    const before = await storedRecords(env);
    const noUrl = await refusal(connections.create({ name: 'Box', provider: 'openai-compatible' }));
    expect(noUrl.code).to.equal('VALIDATION_ERROR');
    expect(noUrl.details.map((d) => d.path)).to.include('baseUrl');
    const badUrl = await refusal(connections.create({ name: 'Box', provider: 'ollama', baseUrl: 'file:///etc/passwd' }));
    expect(badUrl.details.map((d) => d.path)).to.include('baseUrl');
    const withPassword = await refusal(connections.create({ name: 'Box', provider: 'ollama', baseUrl: 'http://me:secret@box:11434' }));
    expect(withPassword.details.map((d) => d.path)).to.include('baseUrl');
    const key = 'sk-proj-4f9Qa7Zt2Lm8Xc1Vb6Nn3Kp0Rs5Tw';
    for (const apiKeyRef of [key, `env:${key}`]) {
      const secret = await refusal(connections.create({ name: 'Leaky', provider: 'openai', apiKeyRef }));
      expect(secret.code).to.equal('VALIDATION_ERROR');
      expect(secret.details.map((d) => d.path)).to.include('apiKeyRef');
      expect(JSON.stringify(secret.details) + secret.message).not.to.include(key.slice(8));
    }
    expect(await storedRecords(env), 'the records stored are unchanged (the refusals are audited)').to.deep.equal(before);
  });

  it('are referenced by agents: a dangling or mismatched connectionId is a REFERENCE_ERROR, and one in use cannot be deleted', async function () {
    const parts = await agentParts(env);
    await env.configuration.records('connection').create(cloud);
    const dangling = await refusal(env.configuration.createAgent(agentOn(parts, 'nowhere') as never));
    expect(dangling.code).to.equal('REFERENCE_ERROR');
    expect(dangling.details).to.deep.include({ path: 'connectionId', message: "connection 'nowhere' does not exist" });
    const mismatched = await refusal(env.configuration.createAgent(agentOn(parts, 'local-ollama') as never));
    expect(mismatched.code).to.equal('REFERENCE_ERROR');
    expect(mismatched.details[0]?.path).to.equal('connectionId');
    expect(mismatched.message).to.include('serves ollama');
    const agent = await env.configuration.createAgent(agentOn(parts, 'cloud') as never);
    const inUse = await refusal(env.configuration.records('connection').delete('cloud'));
    expect(inUse.code).to.equal('REFERENCE_ERROR');
    expect(inUse.message).to.include(`agent ${agent.id}`);
    // A connection whose provider changes under the agents using it is refused, with them, as one workflow.
    const switched = await refusal(env.configuration.records('connection').update('cloud', { provider: 'google' }));
    expect(switched.code).to.equal('REFERENCE_ERROR');
    expect((await env.configuration.records('connection').get('cloud'))?.provider).to.equal('anthropic');
    const resolved = await env.configuration.resolveAgent(agent.id);
    expect(resolved.connection?.id).to.equal('cloud');
  });

  it('take part in bundles: exported, then imported into an empty folder, they come back field for field', async function () {
    const parts = await agentParts(env);
    await env.configuration.records('connection').create(cloud);
    await env.configuration.createAgent(agentOn(parts, 'cloud') as never);
    const bundle = await env.configuration.exportBundle();
    expect((bundle as unknown as { connections: Connection[] }).connections.map((c) => c.id)).to.deep.equal(['cloud']);
    const empty = await createTestContainer();
    try {
      const { result } = await empty.configuration.importBundle(bundle);
      expect(result).to.include({ connections: 1, agents: 1 });
      const strip = (c: Connection | null) => c && { ...c, createdAt: undefined, updatedAt: undefined };
      expect(strip(await empty.configuration.records('connection').get('cloud'))).to.deep.equal(strip(await env.configuration.records('connection').get('cloud')));
      expect((await empty.configuration.getAllAgents())[0]?.connectionId).to.equal('cloud');
    } finally {
      await empty.dispose();
    }
  });

  it('are a workflow service: a step creates one that a later step uses, undone together when a step fails', async function () {
    const parts = await agentParts(env);
    const run = await env.configuration.runWorkflow({
      name: 'wire-up',
      steps: [
        { id: 'c', service: 'connection', action: 'create', input: { ...cloud, id: 'wf-cloud' } },
        { id: 'a', service: 'agent', action: 'create', input: { ...agentOn(parts, undefined), id: 'wf-agent', connectionId: { $ref: 'steps.c.output.id' } } },
      ],
    });
    expect(run.status).to.equal('COMPLETED');
    expect((await env.configuration.getAgent('wf-agent'))?.connectionId).to.equal('wf-cloud');
    const failed = await env.configuration.runWorkflow({
      name: 'wire-up-badly',
      steps: [
        { id: 'c', service: 'connection', action: 'create', input: { ...cloud, id: 'wf-cloud-2' } },
        { id: 'a', service: 'agent', action: 'create', input: { ...agentOn(parts, 'local-ollama'), id: 'wf-agent-2' } },
      ],
    });
    expect(failed.status).to.equal('COMPENSATED');
    expect(await env.configuration.records('connection').get('wf-cloud-2')).to.equal(null);
  });

  it('are audited, and checked by rights: a viewer may read them but not change them', async function () {
    await env.configuration.records('connection').create(cloud);
    const entries = await auditEntriesOf(env);
    expect(entries.some((e) => e.action === 'connection.create' && e.target?.id === 'cloud' && e.outcome === 'ok')).to.equal(true);
    expect(entries.some((e) => e.action === 'connection.seed-template' && e.target?.id === 'local-ollama')).to.equal(true);
    const viewer = env.configuration.as({ actor: 'vic', role: 'viewer' });
    expect((await viewer.records('connection').list()).map((c) => c.id)).to.include('cloud');
    expect((await refusal(viewer.records('connection').create({ ...cloud, id: 'mine' }))).code).to.equal('FORBIDDEN');
    const denied = (await auditEntriesOf(env)).filter((e) => e.outcome === 'denied' && e.actor === 'vic');
    expect(denied.length).to.be.greaterThan(0);
  });

  it('have every record command on the command line, and agent resolve says which connection an agent uses', async function () {
    const cli = (args: string[], stdin?: string) => runCliInProcess([...env.cliStore, ...args], stdin === undefined ? {} : { stdin });
    expect((await cli(['connection', 'create', '--file', '-'], JSON.stringify(cloud))).code).to.equal(0);
    const list = await cli(['connection', 'list']);
    expect(list.stdout).to.match(/cloud\s+Cloud/).and.match(/local-ollama/).and.include('env:ANTHROPIC_API_KEY');
    expect((await cli(['connection', 'update', 'cloud', '--file', '-'], JSON.stringify({ name: 'Cloud 2' }))).code).to.equal(0);
    expect((await cli(['connection', 'history', 'cloud', '--json'])).json<{ data: { version: number }[] }>().data.map((c) => c.version)).to.deep.equal([1]);
    expect((await cli(['connection', 'restore', 'cloud', '--version', '1'])).code).to.equal(0);
    expect((await cli(['connection', 'get', 'cloud', '--json'])).json<{ data: Connection }>().data.name).to.equal('Cloud');
    const { personality, role, agent } = validRecords();
    const made = await cli(['agent', 'create-with', '--file', '-'], JSON.stringify({ personality, role, agent: { ...agent, connectionId: 'cloud', modelConfig: { provider: 'anthropic', modelId: 'claude-sonnet-4-0' } } }));
    expect(made.code, made.stderr).to.equal(0);
    const resolved = await cli(['agent', 'resolve', agent.id]);
    expect(resolved.code).to.equal(0);
    expect(resolved.stderr).to.include('connection: cloud (anthropic, key from env:ANTHROPIC_API_KEY)');
    expect((await cli(['agent', 'resolve', agent.id, '--json'])).json<{ data: { connection: { id: string } } }>().data.connection.id).to.equal('cloud');
    expect((await cli(['connection', 'delete', 'cloud'])).code).to.equal(7);
  });

  // A database cannot hold a dangling reference (its foreign keys refuse the delete): what is left dangling here is a
  // collection file edited by hand.
  describeFileStoreOnly('Scenario: a connection removed by a hand edit of its file', function () {
    it('are found dangling by verify, and cleared from the agent by repair --prune-dangling', async function () {
      const parts = await agentParts(env);
      await env.configuration.records('connection').create(cloud);
      const agent = await env.configuration.createAgent(agentOn(parts, 'cloud') as never);
      // The connection removed behind agentcfg's back: a hand edit of its file, as a clean exit left it.
      await env.configuration.compact();
      const file = join(env.dataDir, 'config', 'connections.json');
      const stored = JSON.parse(await readFile(file, 'utf8')) as { connections: Connection[] };
      await writeFile(file, JSON.stringify({ ...stored, connections: stored.connections.filter((c) => c.id !== 'cloud') }));
      const verify = await runCliInProcess(['--dir', env.dataDir, 'verify', '--json']);
      expect(verify.code).to.equal(10);
      const findings = verify.json<{ ok: false; error: { report: { findings: { code: string; message: string }[] } } }>().error.report.findings;
      expect(findings.map((f) => f.code)).to.include('DANGLING_REFERENCE');
      expect(findings.find((f) => f.code === 'DANGLING_REFERENCE')?.message).to.include("connection 'cloud'");
      const repair = await runCliInProcess(['--dir', env.dataDir, 'repair', '--prune-dangling']);
      expect(repair.code, repair.stdout + repair.stderr).to.equal(0);
      const kept = await env.configuration.getAgent(agent.id);
      expect(kept, 'the agent is kept').not.to.equal(null);
      expect(kept?.connectionId, 'only its dangling reference is cleared').to.equal(undefined);
    });
  });
});
