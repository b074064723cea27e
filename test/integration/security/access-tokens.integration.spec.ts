import { expect } from 'chai';
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Client } from 'pg';
import type { AgentcfgError } from '../../../src/domain/errors/agentcfg-error';
import { runCliInProcess } from '../../support/run-cli-in-process';
import { auditEntriesOf } from '../../support/store-state';
import { createTestContainer, type TestContainer } from '../../support/test-container';

/** Everything the store keeps about tokens, as text: the data folder's file, or the database's rows. */
async function storedTokensText(env: TestContainer): Promise<string> {
  if (env.store === 'file') return readFile(join(env.dataDir, 'access', 'tokens.json'), 'utf8');
  const client = new Client({ connectionString: env.url });
  await client.connect();
  try {
    return JSON.stringify((await client.query('SELECT * FROM agentcfg_tokens')).rows);
  } finally {
    await client.end();
  }
}

async function refusal(call: Promise<unknown>): Promise<AgentcfgError> {
  return (await expect(call).to.be.rejected) as AgentcfgError;
}

describe('Feature: access tokens for the HTTP API, managed by admins and kept only as hashes', function () {
  let env: TestContainer;

  beforeEach(async function () {
    env = await createTestContainer();
  });
  afterEach(() => env.dispose());

  it('an admin creates a token: its secret is shown once, acts for the token\'s name at its level, and only its hash is stored', async function () {
    const admin = env.configuration.as({ actor: 'alice', access: 'admin' });
    const { token, secret } = await admin.createToken({ name: 'ci-bot', access: 'editor' });
    expect(token).to.deep.include({ name: 'ci-bot', access: 'editor', createdBy: 'alice' });
    expect(token).to.not.have.property('hash');
    expect(secret).to.match(/^acfg_[A-Za-z0-9_-]{43}$/);
    expect(await env.configuration.authenticateToken(secret)).to.deep.equal({ actor: 'ci-bot', access: 'editor' });

    const stored = await storedTokensText(env);
    expect(stored, 'the secret is not stored').to.not.contain(secret);
    expect(stored, 'its hash is').to.contain(createHash('sha256').update(secret).digest('hex'));
    expect((await admin.listTokens()).map((t) => [t.name, t.access, Object.keys(t).includes('hash')])).to.deep.equal([['ci-bot', 'editor', false]]);

    const created = (await auditEntriesOf(env)).filter((e) => e.action === 'token.create');
    expect(created.map((e) => [e.actor, e.target?.id, e.grants, e.outcome])).to.deep.equal([['alice', 'ci-bot', 'editor', 'ok']]);
  });

  it('unknown, malformed, tampered and revoked secrets act for nobody; a revoked name can be used again', async function () {
    const admin = env.configuration.as({ actor: 'alice', access: 'admin' });
    const { secret } = await admin.createToken({ name: 'laptop', access: 'viewer' });
    const last = secret.at(-1) === 'A' ? 'B' : 'A';
    for (const forged of [`${secret.slice(0, -1)}${last}`, 'acfg_', secret.toUpperCase(), '', `Bearer ${secret}`, `${secret} `]) {
      expect(await env.configuration.authenticateToken(forged), JSON.stringify(forged)).to.equal(null);
    }
    const revoked = await admin.revokeToken('laptop');
    expect(revoked).to.deep.include({ name: 'laptop', revokedBy: 'alice' });
    expect(await env.configuration.authenticateToken(secret), 'revoked').to.equal(null);
    expect((await refusal(admin.revokeToken('laptop'))).code, 'nothing live to revoke').to.equal('NOT_FOUND');

    const again = await admin.createToken({ name: 'laptop', access: 'admin' });
    expect(await env.configuration.authenticateToken(again.secret)).to.deep.equal({ actor: 'laptop', access: 'admin' });
    expect((await admin.listTokens()).map((t) => [t.name, t.revokedAt === undefined])).to.deep.equal([
      ['laptop', false],
      ['laptop', true],
    ]);
  });

  it('a live name is taken (CONFLICT) and a bad name or level is a VALIDATION_ERROR naming the field; nothing is stored', async function () {
    const admin = env.configuration.as({ actor: 'alice', access: 'admin' });
    await admin.createToken({ name: 'ci-bot', access: 'editor' });
    expect((await refusal(admin.createToken({ name: 'ci-bot', access: 'viewer' }))).code).to.equal('CONFLICT');
    const badName = await refusal(admin.createToken({ name: 'has space', access: 'viewer' }));
    expect([badName.code, badName.details.map((d) => d.path)]).to.deep.equal(['VALIDATION_ERROR', ['name']]);
    const badLevel = await refusal(admin.createToken({ name: 'x', access: 'root' as never }));
    expect([badLevel.code, badLevel.details.map((d) => d.path)]).to.deep.equal(['VALIDATION_ERROR', ['access']]);
    expect((await admin.listTokens()).map((t) => t.name)).to.deep.equal(['ci-bot']);
  });

  for (const access of ['viewer', 'editor'] as const) {
    it(`an ${access} may not create, list or revoke tokens: FORBIDDEN, each refusal audited`, async function () {
      await env.configuration.as({ actor: 'alice', access: 'admin' }).createToken({ name: 'ci-bot', access: 'viewer' });
      const caller = env.configuration.as({ actor: 'mallory', access });
      expect((await refusal(caller.createToken({ name: 'mine', access: 'admin' }))).code).to.equal('FORBIDDEN');
      expect((await refusal(caller.listTokens())).code).to.equal('FORBIDDEN');
      expect((await refusal(caller.revokeToken('ci-bot'))).code).to.equal('FORBIDDEN');
      const denied = (await auditEntriesOf(env)).filter((e) => e.actor === 'mallory' && e.outcome === 'denied').map((e) => e.action);
      expect(denied).to.deep.equal(['token.create', 'token.list', 'token.revoke']);
      expect((await env.configuration.as({ actor: 'alice', access: 'admin' }).listTokens()).map((t) => [t.name, t.revokedAt])).to.deep.equal([['ci-bot', undefined]]);
    });
  }

  it('the command line: token create prints the secret once, list and revoke; --as editor is refused (exit 6)', async function () {
    const created = await runCliInProcess([...env.cliStore, '--json', 'token', 'create', '--name', 'ci-bot', '--access', 'editor']);
    expect(created.code, created.stdout + created.stderr).to.equal(0);
    const { secret } = created.json<{ data: { secret: string } }>().data;
    expect(await env.configuration.authenticateToken(secret)).to.deep.equal({ actor: 'ci-bot', access: 'editor' });
    const listed = await runCliInProcess([...env.cliStore, 'token', 'list']);
    expect(listed.code).to.equal(0);
    expect(listed.stdout).to.contain('ci-bot').and.to.not.contain(secret);
    const refused = await runCliInProcess([...env.cliStore, '--as', 'editor', 'token', 'revoke', 'ci-bot']);
    expect(refused.code).to.equal(6);
    expect((await runCliInProcess([...env.cliStore, 'token', 'revoke', 'ci-bot'])).code).to.equal(0);
    expect(await env.configuration.authenticateToken(secret)).to.equal(null);
  });
});
