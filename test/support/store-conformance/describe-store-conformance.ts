import { expect } from 'chai';
import type { ErrorCode } from '../../../src/domain/errors/error-code';
import { hasErrorCode } from '../../../src/domain/errors/agentcfg-error';
import type { ChangeEvent } from '../../../src/storage/change-feed';
import { HISTORY_LIMIT, type Commit, type IRecordStore } from '../../../src/storage/record-store';
import { startCompiledWorker } from '../compiled-workers';
import { waitForExit } from '../run-worker';
import { openStore, type OpenedStore, type StoreTarget } from './store-target';
import { auditOf, personalityAt, roleAt } from './test-records';

/** A backend under test: how to make a fresh, empty store of it. */
export interface StoreBackend {
  name: string;
  fresh(): Promise<StoreTarget>;
}

/** The error a promise rejects with (failing when it resolves). */
async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to be refused, but it succeeded');
}

async function expectCode(promise: Promise<unknown>, code: ErrorCode): Promise<void> {
  const error = await rejection(promise);
  expect(hasErrorCode(error, code), `expected ${code}, got ${String((error as Error).message ?? error)}`).to.equal(true);
}

/** Everything a reader of the store can see, to compare before and after a refused commit. */
async function everything(store: IRecordStore, workflowIds: readonly string[] = []) {
  return {
    personalities: await store.records('personality'),
    roles: await store.records('role'),
    history: await store.history('personality', 'p1'),
    audit: (await store.audit.list()).length,
    journals: await Promise.all(workflowIds.map(async (id) => (await store.journals.read(id))?.entries.length ?? 0)),
  };
}

async function until(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/**
 * The contract of the storage port (IRecordStore), written against the port alone: any backend runs it on a fresh
 * store, in this process and, where it says so, in other processes sharing the store.
 */
export function describeStoreConformance(backend: StoreBackend): void {
  describe(`Store conformance: ${backend.name}`, function () {
    this.timeout(120_000);
    let target: StoreTarget;
    const opened: OpenedStore[] = [];
    const open = async (): Promise<OpenedStore> => {
      const store = await openStore(target);
      opened.push(store);
      return store;
    };
    /** Commits `commit` as the context of `on`. */
    const commit = (on: OpenedStore, change: Commit) => on.store.commit(change, { context: on.context });
    const create = (on: OpenedStore, id: string, note = '') =>
      commit(on, { puts: [{ kind: 'personality', record: personalityAt(id, 1, note), expectedVersion: null }], audit: [auditOf('tester', 'test.create', { kind: 'personality', id }, null, 1)] });

    beforeEach(async function () {
      target = await backend.fresh();
    });
    afterEach(async function () {
      for (const store of opened.splice(0)) await store.close();
    });

    describe('reads and commits', function () {
      it('a fresh store has no records, no history, no audit entries and no journals', async function () {
        const { store } = await open();
        for (const kind of ['personality', 'role', 'connection', 'agent'] as const) expect(await store.records(kind)).to.deep.equal([]);
        expect(await store.get('personality', 'p1')).to.equal(null);
        expect(await store.history('personality', 'p1')).to.deep.equal([]);
        expect(await store.audit.list()).to.deep.equal([]);
        expect(await store.journals.list()).to.deep.equal([]);
      });

      it('a commit stores its puts and removals; reads by kind and by id see them, here and in another opening of the store', async function () {
        const a = await open();
        await commit(a, {
          puts: [
            { kind: 'personality', record: personalityAt('p1', 1), expectedVersion: null },
            { kind: 'personality', record: personalityAt('p2', 1), expectedVersion: null },
            { kind: 'role', record: roleAt('r1', 1), expectedVersion: null },
          ],
        });
        await commit(a, { puts: [{ kind: 'personality', record: personalityAt('p1', 2, 'second'), expectedVersion: 1 }], removals: [{ kind: 'personality', id: 'p2', expectedVersion: 1 }] });
        const b = await open();
        for (const { store } of [a, b]) {
          expect((await store.records('personality')).map((r) => [r.id, r.version])).to.deep.equal([['p1', 2]]);
          expect(await store.get('personality', 'p1')).to.deep.equal(personalityAt('p1', 2, 'second'));
          expect(await store.get('personality', 'p2')).to.equal(null);
          expect(await store.get('role', 'r1')).to.deep.equal(roleAt('r1', 1));
          expect(await store.records('agent')).to.deep.equal([]);
        }
      });

      it('records are handed out frozen: changing one read by kind, by id or from history throws and stores nothing', async function () {
        const a = await open();
        await create(a, 'p1');
        await commit(a, { puts: [{ kind: 'personality', record: personalityAt('p1', 2), expectedVersion: 1 }], history: [{ kind: 'personality', record: personalityAt('p1', 1) }] });
        const handedOut = [(await a.store.records('personality'))[0], await a.store.get('personality', 'p1'), (await a.store.history('personality', 'p1'))[0]];
        for (const record of handedOut) {
          expect(() => Object.assign(record as object, { name: 'changed' }), 'a frozen record').to.throw(TypeError);
        }
        expect((await a.store.get('personality', 'p1'))?.name).to.equal(personalityAt('p1', 2).name);
      });

      it('a record commit without a context allowed to write is FORBIDDEN and stores nothing', async function () {
        const a = await open();
        await expectCode(a.store.commit({ puts: [{ kind: 'personality', record: personalityAt('p1', 1), expectedVersion: null }] }), 'FORBIDDEN');
        expect(await a.store.records('personality')).to.deep.equal([]);
      });
    });

    describe('version checks', function () {
      it('a put or removal finding its record at another version than it expects is a CONFLICT, and changes nothing', async function () {
        const a = await open();
        await create(a, 'p1');
        const before = await everything(a.store);
        const attempts: Commit[] = [
          { puts: [{ kind: 'personality', record: personalityAt('p1', 1), expectedVersion: null }] },
          { puts: [{ kind: 'personality', record: personalityAt('p1', 3), expectedVersion: 2 }] },
          { puts: [{ kind: 'personality', record: personalityAt('p9', 2), expectedVersion: 1 }] },
          { removals: [{ kind: 'personality', id: 'p1', expectedVersion: 2 }] },
          { removals: [{ kind: 'personality', id: 'p9', expectedVersion: 1 }] },
        ];
        for (const attempt of attempts) await expectCode(commit(a, { ...attempt, audit: [auditOf('tester', 'test.refused', { kind: 'personality', id: 'p1' }, 1, 2)] }), 'CONFLICT');
        expect(await everything(a.store)).to.deep.equal(before);
      });

      it('two openings of the store racing on one version: exactly one commit wins', async function () {
        const [a, b] = [await open(), await open()];
        await create(a, 'p1');
        const racing = [a, b].map((on, i) => commit(on, { puts: [{ kind: 'personality', record: personalityAt('p1', 2, `writer ${i}`), expectedVersion: 1 }] }).then(() => 'won', (error: unknown) => (hasErrorCode(error, 'CONFLICT') ? 'lost' : Promise.reject(error))));
        expect((await Promise.all(racing)).sort()).to.deep.equal(['lost', 'won']);
        expect((await a.store.get('personality', 'p1'))?.version).to.equal(2);
      });
    });

    describe('all or nothing', function () {
      it('a commit with one conflicting put stores none of its puts, removals, history, audit entries or journal events', async function () {
        const a = await open();
        await create(a, 'p1');
        await create(a, 'p2');
        const journal = await a.store.journals.begin('wf-atomic');
        await journal.append('workflow.started', { name: 'atomic' });
        const before = await everything(a.store, ['wf-atomic']);
        const error = await rejection(
          commit(a, {
            puts: [
              { kind: 'role', record: roleAt('r1', 1), expectedVersion: null },
              { kind: 'personality', record: personalityAt('p1', 2), expectedVersion: 1 },
              { kind: 'personality', record: personalityAt('p2', 3), expectedVersion: 2 },
            ],
            removals: [{ kind: 'personality', id: 'p2', expectedVersion: 1 }],
            history: [{ kind: 'personality', record: personalityAt('p1', 1) }],
            audit: [auditOf('tester', 'test.atomic', { kind: 'personality', id: 'p1' }, 1, 2)],
            journal: { workflowId: 'wf-atomic', events: [{ event: 'step.completed', data: { stepId: 's1' } }] },
          }),
        );
        expect(hasErrorCode(error, 'CONFLICT')).to.equal(true);
        expect(await everything(a.store, ['wf-atomic'])).to.deep.equal(before);
        await journal.close();
      });

      it('a plan that throws commits nothing, and its error reaches the caller', async function () {
        const a = await open();
        await create(a, 'p1');
        const before = await everything(a.store);
        const refusal = new Error('the plan refuses');
        const error = await rejection(
          a.store.transact(async (view) => {
            expect((await view.get('personality', 'p1'))?.version).to.equal(1);
            throw refusal;
          }, { context: a.context }),
        );
        expect(error).to.equal(refusal);
        expect(await everything(a.store)).to.deep.equal(before);
      });

      it('a commit cancelled before it is stored stores nothing', async function () {
        const a = await open();
        const controller = new AbortController();
        controller.abort();
        const refused = a.store.commit({ puts: [{ kind: 'personality', record: personalityAt('p1', 1), expectedVersion: null }], audit: [auditOf('tester', 'test.cancelled', { kind: 'personality', id: 'p1' }, null, 1)] }, { context: a.context, signal: controller.signal });
        await expectCode(refused, 'UNAVAILABLE');
        expect(await a.store.records('personality')).to.deep.equal([]);
        expect(await a.store.audit.list()).to.deep.equal([]);
      });
    });

    describe('history', function () {
      it(`keeps the versions a commit replaces, oldest first, the last ${HISTORY_LIMIT} of each record`, async function () {
        const a = await open();
        await create(a, 'p1');
        await create(a, 'p2');
        const updates = HISTORY_LIMIT + 5;
        for (let version = 1; version <= updates; version++) {
          await commit(a, { puts: [{ kind: 'personality', record: personalityAt('p1', version + 1), expectedVersion: version }], history: [{ kind: 'personality', record: personalityAt('p1', version) }] });
        }
        await commit(a, { puts: [{ kind: 'personality', record: personalityAt('p2', 2), expectedVersion: 1 }], history: [{ kind: 'personality', record: personalityAt('p2', 1) }] });
        const kept = await (await open()).store.history('personality', 'p1');
        expect(kept.map((r) => r.version)).to.deep.equal(Array.from({ length: HISTORY_LIMIT }, (_, i) => updates - HISTORY_LIMIT + 1 + i));
        expect(kept.at(-1)).to.deep.equal(personalityAt('p1', updates));
        expect((await a.store.history('personality', 'p2')).map((r) => r.version)).to.deep.equal([1]);
        expect(await a.store.history('role', 'p1')).to.deep.equal([]);
      });
    });

    describe('audit trail', function () {
      it('stores each commit\'s entries in commit order, numbered and hash-chained, as the receipts said, across openings', async function () {
        const a = await open();
        const receipts = [];
        for (let i = 1; i <= 3; i++) receipts.push(await create(a, `p${i}`));
        receipts.push(await commit(a, { audit: [auditOf('tester', 'test.note', { kind: 'personality', id: 'p1' }, 1, 1), auditOf('tester', 'test.note-2', { kind: 'personality', id: 'p2' }, 1, 1)] }));
        const b = await open();
        receipts.push(await create(b, 'p4'));
        const entries = await a.store.audit.list();
        expect(entries.map((e) => e.action)).to.deep.equal(['test.create', 'test.create', 'test.create', 'test.note', 'test.note-2', 'test.create']);
        expect(entries.map((e) => e.seq)).to.deep.equal([1, 2, 3, 4, 5, 6]);
        entries.forEach((entry, i) => {
          if (i > 0) expect(entry.prev).to.equal(entries[i - 1]!.hash);
        });
        expect(receipts.flatMap((r) => r.audit)).to.deep.equal(entries);
        expect(await b.store.audit.verify()).to.include({ ok: true });
      });
    });

    describe('workflow journals', function () {
      it('replays a workflow\'s events in order in another opening; lists it, and as unended until it is marked ended', async function () {
        const a = await open();
        const journal = await a.store.journals.begin('wf-replay');
        await journal.append('workflow.started', { name: 'replay' });
        const receipt = await commit(a, {
          puts: [{ kind: 'personality', record: personalityAt('p1', 1), expectedVersion: null }],
          journal: { workflowId: 'wf-replay', events: [{ event: 'step.intent', data: { stepId: 's1' } }, { event: 'step.completed', data: { stepId: 's1', output: { id: 'p1' } } }] },
        });
        expect(receipt.journal.map((e) => [e.seq, e.event])).to.deep.equal([[2, 'step.intent'], [3, 'step.completed']]);
        expect(journal.entries.map((e) => e.event)).to.deep.equal(['workflow.started', 'step.intent', 'step.completed']);
        await journal.close();
        const b = await open();
        const replayed = await b.store.journals.read('wf-replay');
        expect(replayed?.entries.map((e) => ({ seq: e.seq, event: e.event, data: e.data }))).to.deep.equal([
          { seq: 1, event: 'workflow.started', data: { name: 'replay' } },
          { seq: 2, event: 'step.intent', data: { stepId: 's1' } },
          { seq: 3, event: 'step.completed', data: { stepId: 's1', output: { id: 'p1' } } },
        ]);
        expect(await b.store.get('personality', 'p1')).to.deep.equal(personalityAt('p1', 1));
        expect(await b.store.journals.list()).to.deep.equal(['wf-replay']);
        expect(await b.store.journals.listUnended()).to.include('wf-replay');
        await b.store.journals.markEnded('wf-replay');
        expect(await b.store.journals.listUnended()).to.not.include('wf-replay');
        expect(await b.store.journals.read('wf-unknown')).to.equal(null);
      });

      it('a claimed journal cannot be claimed again until it is closed; then it resumes where it stopped', async function () {
        const [a, b] = [await open(), await open()];
        const journal = await a.store.journals.begin('wf-claim');
        await journal.append('workflow.started', { name: 'claim' });
        await expectCode(b.store.journals.resume('wf-claim'), 'UNAVAILABLE');
        await journal.close();
        const resumed = await b.store.journals.resume('wf-claim');
        expect(resumed?.entries.map((e) => e.event)).to.deep.equal(['workflow.started']);
        const next = await resumed!.append('workflow.status', { status: 'COMPENSATED' });
        expect(next.seq).to.equal(2);
        await resumed!.close();
        expect((await a.store.journals.read('wf-claim'))?.entries.map((e) => e.seq)).to.deep.equal([1, 2]);
        expect(await b.store.journals.resume('wf-none')).to.equal(null);
      });
    });

    describe('change feed', function () {
      it('tells listeners of a kind what each commit created, updated and deleted, with the versions', async function () {
        const a = await open();
        const seen: ChangeEvent[] = [];
        const roles: ChangeEvent[] = [];
        const subscriptions = [a.store.changes.subscribe('personality', (e) => seen.push(e)), a.store.changes.subscribe('role', (e) => roles.push(e))];
        await a.store.changes.check();
        await create(a, 'p1');
        await commit(a, { puts: [{ kind: 'personality', record: personalityAt('p1', 2), expectedVersion: 1 }] });
        await commit(a, { removals: [{ kind: 'personality', id: 'p1', expectedVersion: 2 }] });
        await until(() => seen.length >= 3, 5_000);
        expect(seen.map((e) => [e.id, e.change, e.version])).to.deep.equal([['p1', 'created', 1], ['p1', 'updated', 2], ['p1', 'deleted', 2]]);
        expect(roles).to.deep.equal([]);
        subscriptions.forEach((s) => s.dispose());
      });

      it('tells listeners of a commit another process made', async function () {
        const a = await open();
        const seen: ChangeEvent[] = [];
        const subscription = a.store.changes.subscribe('personality', (e) => seen.push(e));
        await a.store.changes.check();
        const worker = await startCompiledWorker('store-committer', [JSON.stringify(target), 'put', 'from-elsewhere']);
        const exit = await waitForExit(worker);
        expect(exit.code, exit.stderr).to.equal(0);
        await until(() => seen.length >= 1, 5_000);
        expect(seen.map((e) => [e.id, e.change, e.version])).to.deep.equal([['from-elsewhere', 'created', 1]]);
        subscription.dispose();
      });
    });

    describe('concurrent commits from two processes', function () {
      it('lose no commit: versions advance one at a time, and the audit trail holds every change in order', async function () {
        const a = await open();
        await create(a, 'counter');
        const perWorker = 15;
        const workers = await Promise.all(['x', 'y'].map((tag) => startCompiledWorker('store-committer', [JSON.stringify(target), 'increment', 'counter', String(perWorker), tag])));
        const exits = await Promise.all(workers.map((w) => waitForExit(w)));
        for (const exit of exits) expect(exit.code, exit.stderr).to.equal(0);
        const b = await open();
        const counter = await b.store.get('personality', 'counter');
        expect(counter?.version).to.equal(1 + 2 * perWorker);
        const tags = (counter?.customInstructions ?? '').split(',');
        for (const tag of ['x', 'y']) expect(tags.filter((t) => t.startsWith(tag))).to.deep.equal(Array.from({ length: perWorker }, (_, i) => `${tag}${i + 1}`));
        const increments = (await b.store.audit.list()).filter((e) => e.action === 'test.increment');
        expect(increments.map((e) => e.versionAfter)).to.deep.equal(Array.from({ length: 2 * perWorker }, (_, i) => i + 2));
        expect(await b.store.audit.verify()).to.include({ ok: true });
        expect((await b.store.history('personality', 'counter')).map((r) => r.version)).to.deep.equal(Array.from({ length: HISTORY_LIMIT }, (_, i) => 2 * perWorker - HISTORY_LIMIT + 1 + i));
      });
    });
  });
}
