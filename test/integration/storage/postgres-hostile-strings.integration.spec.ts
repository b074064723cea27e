import { expect } from 'chai';
import { Client } from 'pg';
import { hasErrorCode } from '../../../src/domain/errors/agentcfg-error';
import { loadAttackCatalogue } from '../../support/attack-catalogue';
import { sharedCluster, stopSharedCluster } from '../../support/postgres/throwaway-cluster';
import { openStore, type OpenedStore } from '../../support/store-conformance/store-target';
import { auditOf, personalityAt, roleAt } from '../../support/store-conformance/test-records';

/** Every string anywhere in a JSON value, keys included. */
function stringsIn(value: unknown, into = new Set<string>()): Set<string> {
  if (typeof value === 'string') into.add(value);
  else if (Array.isArray(value)) value.forEach((v) => stringsIn(v, into));
  else if (value && typeof value === 'object') {
    for (const [key, v] of Object.entries(value)) {
      into.add(key);
      stringsIn(v, into);
    }
  }
  return into;
}

/** What the database holds: its tables and their row counts, as the owner sees them. */
async function shapeOf(client: Client): Promise<Record<string, number>> {
  const { rows } = await client.query<{ name: string }>(`SELECT schemaname || '.' || tablename AS name FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema') ORDER BY 1`);
  const counts: Record<string, number> = {};
  for (const { name } of rows) counts[name] = Number((await client.query<{ n: string }>(`SELECT count(*) AS n FROM ${name}`)).rows[0]?.n);
  return counts;
}

describe('Feature: every string of the attack catalogue goes through the PostgreSQL store as data, never as SQL', function () {
  this.timeout(300_000);
  let opened: OpenedStore;
  let owner: Client;

  before(async function () {
    const db = await (await sharedCluster()).newDatabase();
    opened = await openStore({ type: 'postgres', ...db });
    owner = new Client({ connectionString: db.ownerUrl });
    await owner.connect();
  });
  after(async function () {
    await owner.end();
    await opened.close();
    await stopSharedCluster();
  });

  it('each string stored as a record id, name, note, history version and audit reason reads back exactly, and nothing else changes', async function () {
    const strings = [...stringsIn(loadAttackCatalogue())];
    expect(strings.length, 'the catalogue was read').to.be.greaterThan(100);
    const { store, context } = opened;
    const storable = strings.filter((s) => !s.includes('\u0000'));
    let n = 0;
    for (const text of storable) {
      const id = `p${++n}`;
      const record = { ...personalityAt(id, 2), name: text, description: text, customInstructions: text };
      const before = await shapeOf(owner);
      await store.commit(
        {
          puts: [{ kind: 'personality', record, expectedVersion: null }],
          history: [{ kind: 'personality', record: { ...record, version: 1 } }],
          audit: [{ ...auditOf(text, 'test.hostile', { kind: 'personality', id: text }, null, 2), reason: text }],
        },
        { context },
      );
      expect(await store.get('personality', id), text).to.deep.equal(record);
      expect((await store.history('personality', id))[0]?.description, text).to.equal(text);
      const entry = (await store.audit.list({ actor: text })).at(-1);
      expect(entry?.target?.id, text).to.equal(text);
      expect(entry?.reason, text).to.equal(text.length > 500 ? `${text.slice(0, 500)}…` : text);
      // Exactly one more personality, history row and audit entry; no table made, dropped or otherwise touched.
      const grew = { 'public.agentcfg_personalities': 1, 'public.agentcfg_history': 1, 'public.agentcfg_audit': 1, 'public.agentcfg_revisions': n === 1 ? 1 : 0 };
      expect(await shapeOf(owner), text).to.deep.equal(Object.fromEntries(Object.entries(before).map(([table, count]) => [table, count + (grew[table as keyof typeof grew] ?? 0)])));
    }
    expect(await store.audit.verify()).to.include({ ok: true });
    // As ids too: a hostile id is just a key.
    for (const text of storable.slice(0, 40)) {
      await store.commit({ puts: [{ kind: 'role', record: { ...roleAt('r', 1), id: text }, expectedVersion: null }] }, { context });
      expect((await store.get('role', text))?.id).to.equal(text);
    }
  });

  it('text PostgreSQL cannot hold (a NUL character) is a VALIDATION_ERROR that stores nothing', async function () {
    const { store, context } = opened;
    const before = await shapeOf(owner);
    const error = await store.commit({ puts: [{ kind: 'personality', record: personalityAt('nul', 1, 'a\u0000b'), expectedVersion: null }] }, { context }).then(
      () => expect.fail('a NUL character was accepted'),
      (e: unknown) => e,
    );
    expect(hasErrorCode(error, 'VALIDATION_ERROR'), String(error)).to.equal(true);
    expect(await shapeOf(owner)).to.deep.equal(before);
  });
});
