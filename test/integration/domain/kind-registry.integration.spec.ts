import { expect } from 'chai';
import { bundleSchema } from '../../../src/domain/bundle';
import type { KindDefinition } from '../../../src/domain/kinds/kind';
import { everyKind, KINDS, RECORD_KINDS, type EveryKind, type RecordKind } from '../../../src/domain/kinds/registry';
import { STEP_SERVICES } from '../../../src/domain/workflow/workflow-definition';
import { buildProgram } from '../../../src/cli/program';
import { COLLECTION_SPECS } from '../../../src/storage/collection-specs';
import { IRecordServices, recordServiceToken } from '../../../src/services/shared/record-services';
import { createTestContainer } from '../../support/test-container';

// Compile-time: a mapping that must list every kind is an EveryKind, and one that leaves a kind out does not
// type-check (`npm test` type-checks first). Were the registry to lose the kind left out here, the expected
// error would vanish and this line would fail the build instead.
// @ts-expect-error -- 'agent' is missing
const partial: EveryKind<number> = { personality: 1, role: 2 };

describe('Feature: one registry of record kinds, from which everything that lists kinds is derived', function () {
  it('names each kind by its key, with a plural and a collection file of its own', function () {
    expect(partial).to.deep.equal({ personality: 1, role: 2 });
    for (const kind of RECORD_KINDS) expect(KINDS[kind].name).to.equal(kind);
    const plurals = RECORD_KINDS.map((k) => KINDS[k].plural);
    const files = RECORD_KINDS.map((k) => KINDS[k].fileName);
    expect(new Set(plurals).size).to.equal(RECORD_KINDS.length);
    expect(new Set(files).size).to.equal(RECORD_KINDS.length);
  });

  it('lists each kind after the kinds it references, so imports and seeding can follow its order', function () {
    for (const [index, kind] of RECORD_KINDS.entries()) {
      for (const reference of (KINDS[kind] as KindDefinition).references) {
        expect(RECORD_KINDS.indexOf(reference.to as RecordKind), `${kind}.${reference.field} → ${reference.to}`).to.be.within(0, index - 1);
      }
    }
  });

  it('gives every kind a collection, a workflow step service, a bundle key and a command group', function () {
    expect(Object.keys(COLLECTION_SPECS)).to.have.members([...RECORD_KINDS]);
    expect([...STEP_SERVICES]).to.deep.equal([...RECORD_KINDS]);
    const bundleKeys = Object.keys(bundleSchema.shape);
    for (const kind of RECORD_KINDS) expect(bundleKeys).to.include(KINDS[kind].plural);
    const program = buildProgram({ stdout: () => undefined, stderr: () => undefined, readStdin: async () => '', env: {} }, { exitCode: 0 }, false);
    const groups = program.commands.map((c) => c.name());
    for (const kind of RECORD_KINDS) {
      const group = program.commands.find((c) => c.name() === kind);
      expect(groups, kind).to.include(kind);
      expect(group?.commands.map((c) => c.name())).to.include.members(['list', 'get', 'create', 'update', 'delete', 'history', 'restore']);
    }
  });

  it('binds a record service for every kind, each under its own token, and all of them as one map', async function () {
    const env = await createTestContainer();
    try {
      const services = env.container.get<IRecordServices>(IRecordServices);
      expect(Object.keys(services)).to.have.members([...RECORD_KINDS]);
      for (const kind of RECORD_KINDS) expect(services[kind]).to.equal(env.container.get(recordServiceToken(kind)));
      const counts = everyKind((kind) => kind.length);
      expect(Object.keys(counts)).to.have.members([...RECORD_KINDS]);
    } finally {
      await env.dispose();
    }
  });

  it('serves every kind through the generic records(kind) API of the library', async function () {
    const env = await createTestContainer();
    try {
      for (const kind of RECORD_KINDS) {
        const listed = await env.configuration.records(kind).list();
        expect(listed.map((r) => r.id)).to.have.members(KINDS[kind].templates.map((t: { id: string }) => t.id));
      }
      const created = await env.configuration.records('role').create({ name: 'Reviewer', systemPrompt: 'Review.' });
      expect((await env.configuration.records('role').get(created.id))?.name).to.equal('Reviewer');
      expect((await env.configuration.records('role').update(created.id, { focusAreas: ['risk'] })).version).to.equal(2);
      expect((await env.configuration.records('role').history(created.id)).map((r) => r.version)).to.deep.equal([1]);
      expect((await env.configuration.records('role').restore(created.id, 1)).focusAreas).to.deep.equal([]);
      await env.configuration.records('role').delete(created.id);
      expect(await env.configuration.records('role').get(created.id)).to.equal(null);
    } finally {
      await env.dispose();
    }
  });
});
