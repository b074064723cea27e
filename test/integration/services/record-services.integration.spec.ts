import { expect } from 'chai';
import sinon from 'sinon';
import { promises as fsp } from 'node:fs';
import type { AgentcfgError } from '../../../src/domain/errors/agentcfg-error';
import { ConflictError } from '../../../src/domain/errors/errors';
import { ROLE_TEMPLATES } from '../../../src/domain/templates/role-templates';
import { IFileService } from '../../../src/storage/file/file-service';
import { JsonFileService } from '../../../src/storage/file/json-file-service';
import { hashConfigFiles } from '../../support/disk';
import { validRecords } from '../../support/records';
import { storedRecords } from '../../support/store-state';
import { createTestContainer, describeFileStoreOnly, type TestContainer } from '../../support/test-container';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

async function rejection(promise: Promise<unknown>): Promise<AgentcfgError> {
  return (await expect(promise).to.be.rejected) as AgentcfgError;
}

describe('Feature: personality, role and agent services keep records valid, versioned and connected', function () {
  let env: TestContainer;
  const valid = validRecords();

  beforeEach(async function () {
    env = await createTestContainer();
  });

  afterEach(async function () {
    sinon.restore();
    await env.dispose();
  });

  async function seedAll(): Promise<void> {
    await env.configuration.createPersonality(valid.personality);
    await env.configuration.createRole(valid.role);
    await env.configuration.createAgent(valid.agent);
  }

  describe('Scenario: templates ship with the product', function () {
    it('seeds the ten template roles and the default personalities, and seeding again writes nothing', async function () {
      const roles = await env.configuration.getAllRoles();
      expect(roles.filter((r) => r.isTemplate).map((r) => r.name)).to.deep.equal([
        'Technical Advisor', 'Project Manager', 'Creative Director', 'Storyteller', 'Analyst',
        'Coach', 'Critic', 'Business Strategist', 'Financial Advisor', 'Generalist',
      ]);
      expect(roles.every((r) => r.systemPrompt.trim().length > 40)).to.equal(true);
      expect((await env.configuration.getPersonality('balanced'))?.isTemplate).to.equal(true);
      const before = await storedRecords(env);
      await env.configuration.initialize();
      expect(await storedRecords(env)).to.deep.equal(before);
    });

    it('refuses to change a template for an editor and to delete one for anybody (FORBIDDEN)', async function () {
      const templateId = ROLE_TEMPLATES[0]?.id as string;
      const editor = env.configuration.as({ actor: 'eddie', role: 'editor' });
      expect((await rejection(editor.updateRole(templateId, { name: 'Mine' }))).code).to.equal('FORBIDDEN');
      expect((await rejection(env.configuration.deleteRole(templateId))).code).to.equal('FORBIDDEN');
      expect((await rejection(editor.updatePersonality('balanced', { humor: 99 }))).code).to.equal('FORBIDDEN');
      expect((await rejection(env.configuration.deletePersonality('balanced'))).code).to.equal('FORBIDDEN');
      expect((await env.configuration.getRole(templateId))?.version).to.equal(1);
    });

    it('lets an admin change a template, which stays a template', async function () {
      const templateId = ROLE_TEMPLATES[0]?.id as string;
      const changed = await env.configuration.updateRole(templateId, { focusAreas: ['architecture'] });
      expect(changed).to.include({ version: 2, isTemplate: true });
      expect(changed.focusAreas).to.deep.equal(['architecture']);
    });
  });

  describe('Scenario: create, read, update and delete', function () {
    it('creates records at version 1 with timestamps, generating a UUID when no id is given', async function () {
      const { id: _id, ...withoutId } = valid.role;
      const role = await env.configuration.createRole(withoutId);
      expect(role.id).to.match(UUID);
      expect(role).to.include({ version: 1, isTemplate: false, name: 'Reviewer' });
      expect(role.createdAt).to.equal(role.updatedAt);
      expect(await env.configuration.getRole(role.id)).to.deep.equal(role);
      const minimal = await env.configuration.createRole({ name: 'Minimal', systemPrompt: 'Be minimal.' });
      expect(minimal).to.include({ description: '' });
      expect(minimal.focusAreas).to.deep.equal([]);
    });

    it('refuses a second record with the same id (CONFLICT)', async function () {
      await env.configuration.createPersonality(valid.personality);
      const error = await rejection(env.configuration.createPersonality({ ...valid.personality, name: 'Twin' }));
      expect(error.code).to.equal('CONFLICT');
      expect((await env.configuration.getPersonality('ada'))?.name).to.equal('Ada');
    });

    it('returns null for an absent id and refuses a malformed one', async function () {
      expect(await env.configuration.getAgent('nobody')).to.equal(null);
      expect((await rejection(env.configuration.getAgent('../etc/passwd'))).code).to.equal('VALIDATION_ERROR');
    });

    it('applies a merge patch, bumps version and updatedAt, and validates the whole record', async function () {
      await seedAll();
      const before = await env.configuration.getAgent('ada-reviewer');
      await new Promise((r) => setTimeout(r, 5));
      const updated = await env.configuration.updateAgent('ada-reviewer', { modelConfig: { parameters: { temperature: 1.2 } }, description: 'now described' });
      expect(updated.version).to.equal(2);
      expect(updated.updatedAt > (before?.updatedAt ?? '')).to.equal(true);
      expect(updated.createdAt).to.equal(before?.createdAt);
      expect(updated.modelConfig).to.deep.equal({ provider: 'openai', modelId: 'gpt-4o', parameters: { temperature: 1.2, maxTokens: 1024, topP: 0.9 } });
      const cleared = await env.configuration.updateAgent('ada-reviewer', { description: null, modelConfig: { parameters: { topP: null } } });
      expect(cleared).to.not.have.property('description');
      expect(cleared.modelConfig.parameters).to.not.have.property('topP');
      expect(cleared.version).to.equal(3);
    });

    it('honours expectedVersion on update and delete, carrying the current record in CONFLICT', async function () {
      await env.configuration.createPersonality(valid.personality);
      await env.configuration.updatePersonality('ada', { humor: 10 }, { expectedVersion: 1 });
      const stale = await rejection(env.configuration.updatePersonality('ada', { humor: 20 }, { expectedVersion: 1 }));
      expect(stale.code).to.equal('CONFLICT');
      expect((stale as ConflictError).current).to.include({ version: 2, humor: 10 });
      expect((await rejection(env.configuration.deletePersonality('ada', { expectedVersion: 7 }))).code).to.equal('CONFLICT');
      const deleted = await env.configuration.deletePersonality('ada', { expectedVersion: 2 });
      expect(deleted.id).to.equal('ada');
      expect(await env.configuration.getPersonality('ada')).to.equal(null);
    });

    it('reports NOT_FOUND for updates and deletes of absent records', async function () {
      expect((await rejection(env.configuration.updateRole('ghost', { name: 'x' }))).code).to.equal('NOT_FOUND');
      expect((await rejection(env.configuration.deleteAgent('ghost'))).code).to.equal('NOT_FOUND');
      expect((await rejection(env.configuration.resolveAgent('ghost'))).code).to.equal('NOT_FOUND');
    });
  });

  describe('Scenario: records handed out cannot be changed behind the services', function () {
    it('a record read, created or listed is frozen: changing it throws, and the next write stores only what was checked', async function () {
      const created = await env.configuration.createPersonality(valid.personality);
      const opened = await createTestContainer({ dataDir: env.dataDir });
      const read = (await opened.configuration.getPersonality(valid.personality.id)) as typeof created;
      const listed = (await opened.configuration.getAllPersonalities()).find((p) => p.id === valid.personality.id) as typeof created;
      for (const [how, record] of [['created', created], ['read', read], ['listed', listed]] as const) {
        expect(() => {
          (record as { openness: number }).openness = 500;
        }, how).to.throw(TypeError);
      }
      await opened.configuration.updatePersonality(valid.personality.id, { humor: 7 });
      const reopened = await createTestContainer({ dataDir: env.dataDir });
      expect(await reopened.configuration.getPersonality(valid.personality.id)).to.include({ openness: valid.personality.openness, humor: 7 });
    });
  });

  describe('Scenario: references between agents, personalities and roles', function () {
    it('refuses an agent whose personality and role do not exist, naming both', async function () {
      const error = await rejection(env.configuration.createAgent({ ...valid.agent, personalityId: 'nobody', roleId: 'nothing' }));
      expect(error.code).to.equal('REFERENCE_ERROR');
      expect(error.details.map((d) => d.path)).to.deep.equal(['personalityId', 'roleId']);
      expect(await env.configuration.getAllAgents()).to.deep.equal([]);
    });

    it('refuses to point an agent at a missing role on update', async function () {
      await seedAll();
      const error = await rejection(env.configuration.updateAgent('ada-reviewer', { roleId: 'gone' }));
      expect(error.code).to.equal('REFERENCE_ERROR');
      expect((await env.configuration.getAgent('ada-reviewer'))?.roleId).to.equal('reviewer');
    });

    it('refuses to delete a personality or role in use, listing the agents that use it', async function () {
      await seedAll();
      await env.configuration.createAgent({ ...valid.agent, id: 'second', name: 'Second' });
      const personality = await rejection(env.configuration.deletePersonality('ada'));
      expect(personality.code).to.equal('REFERENCE_ERROR');
      expect(personality.message).to.include('ada-reviewer').and.to.include('second');
      const role = await rejection(env.configuration.deleteRole('reviewer'));
      expect(role.details.map((d) => d.path)).to.deep.equal(['agents.ada-reviewer.roleId', 'agents.second.roleId']);
      await env.configuration.deleteAgent('ada-reviewer');
      await env.configuration.deleteAgent('second');
      expect((await env.configuration.deleteRole('reviewer')).id).to.equal('reviewer');
    });

    it("resolves an agent's effective system prompt from its role and personality", async function () {
      await seedAll();
      const resolved = await env.configuration.resolveAgent('ada-reviewer');
      expect(resolved.systemPrompt).to.include(valid.role.systemPrompt);
      expect(resolved.systemPrompt).to.include('Analyse rigorously');
      expect(resolved.systemPrompt).to.include('Cite the numbers you rely on.');
      expect(resolved.warnings).to.deep.equal([]);
      const odd = await env.configuration.updateAgent('ada-reviewer', { modelConfig: { modelId: 'gpt-9-preview' } });
      expect((await env.configuration.resolveAgent(odd.id)).warnings[0]).to.include("'gpt-9-preview' is not in the catalogue");
    });
  });

  // About the data folder's files: a fake of the file service, and raw file-system errors.
  describeFileStoreOnly('Scenario: storage failures surface as typed errors and leave the disk as it was', function () {
    it('a FileService fake whose writes fail makes the change fail with the cause kept, and nothing changes', async function () {
      const real = env.container.get<JsonFileService>(IFileService);
      const failing: IFileService = {
        dataDir: real.dataDir,
        initialize: () => real.initialize(),
        read: (kind) => real.read(kind),
        history: (kind, id) => real.history(kind, id),
        inspect: (kind) => real.inspect(kind),
        transaction: (work, options) =>
          real.transaction((tx) => {
            const fire = sinon.fake.rejects(Object.assign(new Error('disk on fire'), { code: 'EIO' }));
            return work({ ...tx, write: fire, commitLogged: fire });
          }, options),
      };
      const faked = await createTestContainer({ dataDir: env.dataDir, overrides: [[IFileService, failing]] });
      const before = await hashConfigFiles(env.dataDir);
      const error = await rejection(faked.configuration.createPersonality(valid.personality));
      expect(error.message).to.include('disk on fire');
      expect(await hashConfigFiles(env.dataDir)).to.deep.equal(before);
    });

    it('wraps raw file-system errors with the operation, the file and the cause; busy errors are UNAVAILABLE, I/O errors STORAGE_UNAVAILABLE', async function () {
      const before = await hashConfigFiles(env.dataDir);
      const busy = Object.assign(new Error('resource busy'), { code: 'EBUSY' });
      // Busy where the change reaches its collection (the append to its change log), after its commit point.
      const open = fsp.open.bind(fsp);
      sinon.stub(fsp, 'open').callsFake(async (path, flags, mode) => {
        if (String(path).endsWith('.changes.jsonl') && flags === 'a') throw busy;
        return open(path, flags, mode);
      });
      const error = await rejection(env.configuration.createPersonality(valid.personality));
      expect(error.code).to.equal('UNAVAILABLE');
      expect(error.context).to.include({ service: 'file', operation: 'write' });
      expect(error.cause).to.equal(busy);
      sinon.restore();
      expect(await hashConfigFiles(env.dataDir)).to.deep.equal(before);
      sinon.stub(fsp, 'open').rejects(Object.assign(new Error('i/o error'), { code: 'EIO' }));
      const io = await rejection(env.configuration.createRole(valid.role));
      expect(io.code).to.equal('STORAGE_UNAVAILABLE');
      expect(io.message).to.include('I/O error');
    });
  });
});
