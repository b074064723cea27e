import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { hasErrorCode } from '../../../src/domain/errors/agentcfg-error';
import { isLostTransaction } from '../../../src/storage/record-store';
import { sharedCluster, stopSharedCluster } from '../../support/postgres/throwaway-cluster';
import { openStore, type OpenedStore } from '../../support/store-conformance/store-target';
import { auditOf, personalityAt } from '../../support/store-conformance/test-records';

/** What a call was refused with. */
async function refusal(call: Promise<unknown>): Promise<unknown> {
  return call.then(
    () => expect.fail('expected a refusal'),
    (error: unknown) => error,
  );
}

describe('Feature: a workflow of record steps is one PostgreSQL transaction (journals.begin with oneTransaction)', function () {
  this.timeout(120_000);
  let mine: OpenedStore;
  let other: OpenedStore;
  let admin: Client;

  beforeEach(async function () {
    const db = await (await sharedCluster()).newDatabase();
    mine = await openStore({ type: 'postgres', ...db });
    other = await openStore({ type: 'postgres', ...db });
    admin = new Client({ connectionString: db.url });
    await admin.connect();
  });
  afterEach(async function () {
    await admin.end();
    await mine.close();
    await other.close();
  });
  after(async function () {
    await stopSharedCluster();
  });

  const put = (id: string, note = '') => ({ puts: [{ kind: 'personality' as const, record: personalityAt(id, 1, note), expectedVersion: null }] });

  it("its commits are seen by its own reads and by nobody else until it is stored, then all at once with its journal and audit entries", async function () {
    const { store, context } = mine;
    const workflowId = randomUUID();
    const journal = await store.journals.begin(workflowId, { oneTransaction: true });
    await journal.append('workflow.started', { name: 'two', steps: [] });
    await store.commit({ ...put('p1'), audit: [{ ...auditOf('tester', 'personality.create', { kind: 'personality', id: 'p1' }, null, 1), workflowId }] }, { context, workflowId });
    await store.commit(put('p2'), { context, workflowId });
    await journal.append('workflow.status', { status: 'COMPLETED' });

    expect(await store.get('personality', 'p1', { workflowId }), "the workflow's own read").to.deep.equal(personalityAt('p1', 1));
    expect(await store.get('personality', 'p1'), 'a read outside the workflow').to.equal(null);
    expect(await other.store.records('personality'), 'another process').to.deep.equal([]);
    expect(await other.store.journals.list()).to.deep.equal([]);
    expect(await other.store.audit.list()).to.deep.equal([]);

    await journal.close();
    expect((await other.store.records('personality')).map((p) => p.id)).to.deep.equal(['p1', 'p2']);
    expect((await other.store.journals.read(workflowId))?.entries.map((e) => [e.seq, e.event])).to.deep.equal([
      [1, 'workflow.started'],
      [2, 'workflow.status'],
    ]);
    expect((await other.store.audit.list()).map((e) => [e.action, e.workflowId])).to.deep.equal([['personality.create', workflowId]]);
    expect(await other.store.audit.verify()).to.include({ ok: true });
  });

  it('a commit the database refuses inside it is rolled back alone: the steps before and after it are stored', async function () {
    const { store, context } = mine;
    const workflowId = randomUUID();
    const journal = await store.journals.begin(workflowId, { oneTransaction: true });
    await store.commit(put('p1'), { context, workflowId });
    const refused = await refusal(store.commit(put('p2', 'a NUL \u0000 the database cannot store'), { context, workflowId }));
    expect(hasErrorCode(refused, 'VALIDATION_ERROR'), String(refused)).to.equal(true);
    const conflict = await refusal(store.commit(put('p1'), { context, workflowId }));
    expect(hasErrorCode(conflict, 'CONFLICT'), String(conflict)).to.equal(true);
    await store.commit(put('p3'), { context, workflowId });
    await journal.close();
    expect((await other.store.records('personality')).map((p) => p.id)).to.deep.equal(['p1', 'p3']);
  });

  it('one whose connection is lost stores nothing, and every call it still makes says so (only a new run of the whole workflow gets past it)', async function () {
    const { store, context } = mine;
    const workflowId = randomUUID();
    const journal = await store.journals.begin(workflowId, { oneTransaction: true });
    await journal.append('workflow.started', { name: 'lost', steps: [] });
    await store.commit(put('p1'), { context, workflowId });
    const { rows } = await admin.query<{ pid: number }>("SELECT pid FROM pg_stat_activity WHERE state LIKE 'idle in transaction%' AND pid <> pg_backend_pid()");
    expect(rows, 'the workflow holds one transaction open').to.have.length(1);
    await admin.query('SELECT pg_terminate_backend($1)', [rows[0]!.pid]);

    const next = await refusal(store.commit(put('p2'), { context, workflowId }));
    expect(isLostTransaction(next), String(next)).to.equal(true);
    expect(isLostTransaction(await refusal(store.get('personality', 'p1', { workflowId })))).to.equal(true);
    expect(isLostTransaction(await refusal(journal.close()))).to.equal(true);
    expect(await other.store.records('personality')).to.deep.equal([]);
    expect(await other.store.journals.read(workflowId)).to.equal(null);
    // The store itself is fine: the next commit, outside any workflow, is made.
    await store.commit(put('p4'), { context });
    expect((await other.store.records('personality')).map((p) => p.id)).to.deep.equal(['p4']);
  });
});
