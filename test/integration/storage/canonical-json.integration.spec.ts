import { expect } from 'chai';
import fc from 'fast-check';
import { canonicalJson, checksumOf } from '../../../src/domain/canonical-json';
import { createTestContainer } from '../../support/test-container';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

/** The definition the checksums of existing files were made with: JSON.stringify with keys sorted by a replacer. */
function referenceCanonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) return v;
    const source = v as Record<string, unknown>;
    return Object.fromEntries(Object.keys(source).sort().map((k) => [k, source[k]]));
  });
}

describe('Feature: canonical JSON, the bytes every checksum is taken of', function () {
  it('gives exactly the bytes of the sorted-keys JSON.stringify for any value (fast-check, 2,000 values)', function () {
    const values = fc.anything({
      withBoxedValues: true,
      withDate: true,
      withMap: true,
      withNullPrototype: true,
      withObjectString: true,
      withSparseArray: true,
      withTypedArray: true,
      withUnicodeString: true,
      maxDepth: 4,
    });
    fc.assert(
      fc.property(values, (value) => {
        expect(canonicalJson(value)).to.equal(referenceCanonicalJson(value));
      }),
      { numRuns: 2000, seed: 20261124 },
    );
  });

  it('gives the same bytes for plain JSON data, records and nested objects with integer-like keys (fast-check, 2,000 values)', function () {
    const key = fc.oneof(fc.constantFrom('0', '1', '2', '10', '007', '4294967295', 'id', 'Id', 'a', 'b', '_', ''), fc.string());
    const plain = fc.letrec((tie) => ({
      value: fc.oneof({ depthSize: 'small' }, fc.string(), fc.double(), fc.integer(), fc.boolean(), fc.constant(null), tie('array'), tie('object')),
      array: fc.array(tie('value'), { maxLength: 4 }),
      object: fc.dictionary(key, tie('value'), { maxKeys: 6 }),
    }));
    fc.assert(
      fc.property(fc.array(plain.object, { maxLength: 5 }), (records) => {
        expect(canonicalJson(records)).to.equal(referenceCanonicalJson(records));
      }),
      { numRuns: 2000, seed: 20261124 },
    );
  });

  it('keeps the edge cases of JSON.stringify: undefined and functions, non-finite numbers, toJSON, __proto__ keys', function () {
    const cases: unknown[] = [
      undefined,
      { a: undefined, b: () => 1, c: Symbol('s') },
      [undefined, () => 1, Number.NaN, Number.POSITIVE_INFINITY, -0],
      { date: new Date(0), nested: { toJSON: (key: string) => `key:${key}` } },
      JSON.parse('{"__proto__":{"x":1},"b":2,"a":1}'),
      { 'é': 1, 'e': 2, 'E': 3, '10': 4, '9': 5 },
      // Keys some objects have own and others inherit or hide: a list of every key must not read them elsewhere.
      [{ size: 1, length: 2, byteLength: 3 }, new Map([['k', 1]]), new Uint8Array([7, 8]), { a: 1 }],
      [{ hidden: 1 }, Object.defineProperty({ shown: 2 }, 'hidden', { value: 3, enumerable: false })],
      [{ constructor: 1 }, { toString: 2 }, { a: 3 }],
      [Object.assign(Object.create(null) as object, { b: 1, a: 2 }), { c: 3 }],
    ];
    for (const value of cases) expect(canonicalJson(value)).to.equal(referenceCanonicalJson(value));
    expect(() => canonicalJson({ big: 1n })).to.throw(TypeError);
  });

  it('matches the checksum of a collection file written by the service', async function () {
    const env = await createTestContainer();
    const file = JSON.parse(await readFile(join(env.dataDir, 'config', 'roles.json'), 'utf8')) as { checksum: string; roles: unknown[] };
    expect(file.roles).to.have.length(10);
    expect(checksumOf(file.roles)).to.equal(file.checksum);
    await env.dispose();
  });
});
