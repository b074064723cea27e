import { expect } from 'chai';
import fc from 'fast-check';
import { checksumOf } from '../../../src/domain/canonical-json';
import { encodeCollection } from '../../../src/storage/collection-file';
import { COLLECTION_SPECS, SCHEMA_VERSION } from '../../../src/storage/collection-specs';
import { RecordTextCache } from '../../../src/storage/record-texts';
import { validRecords } from '../../support/records';

/** The file text as it was defined before record texts were kept: one JSON.stringify of the whole file. */
function wholeFileText(items: readonly unknown[], revision: number): string {
  return `${JSON.stringify({ schemaVersion: SCHEMA_VERSION, revision, checksum: checksumOf(items), personalities: items }, null, 2)}\n`;
}

describe('Feature: a collection file is encoded from the texts kept for its records', function () {
  it('gives exactly the whole-file text over any sequence of writes that add, replace and remove records (fast-check, 300 sequences)', function () {
    const base = validRecords().personality;
    const text = fc.string({ maxLength: 12 });
    const write = fc.oneof(
      fc.record({ op: fc.constant('add' as const), name: text, extra: fc.option(fc.dictionary(fc.constantFrom('0', '10', 'b', 'a', 'é'), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 })) }),
      fc.record({ op: fc.constant('replace' as const), at: fc.nat(), name: text }),
      fc.record({ op: fc.constant('remove' as const), at: fc.nat() }),
    );
    fc.assert(
      fc.property(fc.array(write, { minLength: 1, maxLength: 12 }), (writes) => {
        const texts = new RecordTextCache();
        let items: Record<string, unknown>[] = [];
        let next = 0;
        writes.forEach((w, revision) => {
          if (w.op === 'add') items = [...items, { ...base, id: `p${next++}`, name: w.name, ...(w.extra ? { extra: w.extra } : {}) }];
          else if (items.length > 0 && w.op === 'replace') items = items.map((r, i) => (i === w.at % items.length ? { ...r, name: w.name } : r));
          else if (items.length > 0) items = items.filter((_, i) => i !== w.at % items.length);
          expect(encodeCollection(COLLECTION_SPECS.personality, { revision, items }, texts), `after write ${revision}`).to.equal(wholeFileText(items, revision));
        });
      }),
      { numRuns: 300, seed: 20261124 },
    );
  });

  it('freezes the records whose texts it keeps, so a kept text cannot go stale', function () {
    const texts = new RecordTextCache();
    const record = { ...validRecords().personality, nested: { list: [{ a: 1 }] } };
    encodeCollection(COLLECTION_SPECS.personality, { revision: 1, items: [record] }, texts);
    expect(Object.isFrozen(record)).to.equal(true);
    expect(Object.isFrozen(record.nested.list[0])).to.equal(true);
    expect(() => {
      (record as { name: string }).name = 'changed behind the store';
    }).to.throw(TypeError);
  });

  it('texts warmed ahead (a slice at a time, other work running between slices) encode to exactly the whole-file text', async function () {
    const base = validRecords().personality;
    const items = Array.from({ length: 1200 }, (_, n) => ({ ...base, id: `p${n}`, name: `Personality ${n} \u{1F600}` }));
    const texts = new RecordTextCache();
    let ticks = 0;
    let ticking = true;
    const tick = () => {
      ticks++;
      if (ticking) setImmediate(tick);
    };
    setImmediate(tick);

    await texts.warm(items, 500);
    ticking = false;

    expect(ticks, 'other work ran between the three slices').to.be.at.least(3);
    expect(encodeCollection(COLLECTION_SPECS.personality, { revision: 3, items }, texts)).to.equal(wholeFileText(items, 3));
    expect(Object.isFrozen(items[1199]), 'warmed records are frozen like encoded ones').to.equal(true);
  });
});
