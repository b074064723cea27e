import { expect } from 'chai';
import fc from 'fast-check';
import { canonicalJson, checksumOf } from '../../../src/storage/canonical-json';
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

  it('keeps the edge cases of JSON.stringify: undefined and functions, non-finite numbers, toJSON, __proto__ keys', function () {
    const cases: unknown[] = [
      undefined,
      { a: undefined, b: () => 1, c: Symbol('s') },
      [undefined, () => 1, Number.NaN, Number.POSITIVE_INFINITY, -0],
      { date: new Date(0), nested: { toJSON: (key: string) => `key:${key}` } },
      JSON.parse('{"__proto__":{"x":1},"b":2,"a":1}'),
      { 'é': 1, 'e': 2, 'E': 3, '10': 4, '9': 5 },
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
