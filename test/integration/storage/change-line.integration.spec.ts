import { expect } from 'chai';
import fc from 'fast-check';
import { applyChanges, changeBetween, type ChangeLine } from '../../../src/storage/change-log';
import type { CollectionSnapshot } from '../../../src/storage/collection-file';

interface Rec {
  id: string;
  v: number;
}

/** The meaning of a line, written the plain way: drop the deleted ids, put each record in place of its id or at the end. */
function replayModel(items: readonly Rec[], line: ChangeLine): Rec[] {
  const next = items.filter((r) => !line.delete.includes(r.id));
  for (const record of line.put as Rec[]) {
    const index = next.findIndex((r) => r.id === record.id);
    if (index === -1) next.push(record);
    else next[index] = record;
  }
  return next;
}

/** Edits a write can make: replace a record (same id), add one at the end, delete one; and, rarer, move or insert one. */
const edit = fc.oneof(
  { weight: 4, arbitrary: fc.record({ op: fc.constant('replace' as const), at: fc.nat() }) },
  { weight: 3, arbitrary: fc.record({ op: fc.constant('append' as const) }) },
  { weight: 3, arbitrary: fc.record({ op: fc.constant('delete' as const), at: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('move' as const), at: fc.nat(), to: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('insert' as const), at: fc.nat() }) },
);

describe('Feature: a write is logged as the smallest line that replays to it', function () {
  it('changeBetween gives a line that replays to exactly the records written (by identity, in order), or null; in-place edits always get one, no larger than they are (fast-check, 500 writes)', function () {
    let fresh = 0;
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 40 }), fc.array(edit, { minLength: 1, maxLength: 12 }), (size, edits) => {
        const before: Rec[] = Array.from({ length: size }, (_, i) => ({ id: `r${i}`, v: 0 }));
        let after = [...before];
        let inPlace = true;
        let touched = 0;
        for (const e of edits) {
          const at = after.length === 0 ? 0 : (e as { at?: number }).at ?? 0;
          if (e.op === 'append') after.push({ id: `n${fresh++}`, v: 1 });
          else if (after.length === 0) continue;
          else if (e.op === 'replace') after[at % after.length] = { ...(after[at % after.length] as Rec), v: fresh++ };
          else if (e.op === 'delete') after.splice(at % after.length, 1);
          else if (e.op === 'insert') after.splice(at % after.length, 0, { id: `n${fresh++}`, v: 1 });
          else {
            const [moved] = after.splice(at % after.length, 1);
            after.splice(e.to % (after.length + 1), 0, moved as Rec);
          }
          if (e.op === 'move' || e.op === 'insert') inPlace = false;
          touched++;
        }
        after = [...after];
        const line = changeBetween({ revision: 1, items: before }, { revision: 2, items: after });
        if (line) {
          const replayed = applyChanges({ revision: 1, items: before }, [line]) as CollectionSnapshot<Rec>;
          expect(replayed.items.length).to.equal(after.length);
          replayed.items.forEach((record, i) => expect(record, `position ${i}`).to.equal(after[i]));
          expect(replayModel(before, line)).to.deep.equal(after);
        }
        if (inPlace) {
          expect(line, 'an in-place write is always a line').to.not.equal(null);
          expect((line as ChangeLine).put.length + (line as ChangeLine).delete.length, 'no larger than the edits').to.be.at.most(touched);
        }
      }),
      { numRuns: 500, seed: 20261124 },
    );
  });

  it('applyChanges puts records in place of their id or at the end, the same whether a line puts a few records or many', function () {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 30 }), fc.array(fc.integer({ min: 0, max: 45 }), { maxLength: 20 }), fc.array(fc.integer({ min: 0, max: 30 }), { maxLength: 5 }), (size, puts, deletes) => {
        const base: Rec[] = Array.from({ length: size }, (_, i) => ({ id: `r${i}`, v: 0 }));
        const line: ChangeLine = { revision: 2, put: [...new Set(puts)].map((n) => ({ id: `r${n}`, v: 1 })), delete: [...new Set(deletes)].map((n) => `r${n}`) };
        const replayed = applyChanges({ revision: 1, items: base }, [line]) as CollectionSnapshot<Rec>;
        expect(replayed.items).to.deep.equal(replayModel(base, line));
        expect(replayed.revision).to.equal(2);
      }),
      { numRuns: 500, seed: 20261125 },
    );
    expect(applyChanges({ revision: 1, items: [] }, [{ revision: 3, put: [], delete: [] }]), 'a gap').to.equal(null);
  });
});
