import { expect } from 'chai';
import fc from 'fast-check';
import { readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { hashTree } from '../../support/disk';
import { runCliInProcess } from '../../support/run-cli-in-process';
import { makeTempDir } from '../../support/test-container';

const FIXTURES = join(__dirname, '..', '..', 'fixtures', 'interchange');

/** Seeds fixed, so a failure is reproduced by running the spec again. */
const RUNS = 40;

/** Every importer's fixture, as the bytes a user might hand over. */
const SOURCES = [
  { name: 'card-v2.png', path: join(FIXTURES, 'card', 'card-v2.png'), json: false },
  { name: 'card-v3.json', path: join(FIXTURES, 'card', 'card-v3.json'), json: true },
  { name: 'agents.yaml', path: join(FIXTURES, 'crewai', 'agents.yaml'), json: false },
  { name: 'agent-file.af', path: join(FIXTURES, 'letta', 'agent-file.af'), json: true },
  { name: 'personalities.json', path: join(FIXTURES, 'fishbowl', 'folder', 'personalities.json'), json: true },
  { name: 'agents.json', path: join(FIXTURES, 'fishbowl', 'folder', 'agents.json'), json: true },
  { name: 'llm_config.json', path: join(FIXTURES, 'fishbowl', 'folder', 'llm_config.json'), json: true },
] as const;

/** A change to a file's bytes: some overwritten, a slice cut out, garbage put in, or the end torn off. */
const byteMutation = fc.oneof(
  fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), value: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ kind: fc.constant('cut' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 64 }) }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), bytes: fc.uint8Array({ minLength: 1, maxLength: 32 }) }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
);

type ByteMutation = typeof byteMutation extends fc.Arbitrary<infer T> ? T : never;

function mutateBytes(bytes: Buffer, mutations: readonly ByteMutation[]): Buffer {
  let out = Buffer.from(bytes);
  for (const m of mutations) {
    const at = out.length === 0 ? 0 : m.at % out.length;
    if (m.kind === 'flip' && out.length > 0) out[at] = m.value;
    if (m.kind === 'cut') out = Buffer.concat([out.subarray(0, at), out.subarray(at + m.length)]);
    if (m.kind === 'insert') out = Buffer.concat([out.subarray(0, at), Buffer.from(m.bytes), out.subarray(at)]);
    if (m.kind === 'truncate') out = out.subarray(0, at);
  }
  return out;
}

/** A value put at a path of a JSON document: keeps the file JSON, so the importers' own checks are what is fuzzed. */
function mutateJson(value: unknown, path: readonly number[], replacement: unknown): unknown {
  if (path.length === 0 || value === null || typeof value !== 'object') return replacement;
  const keys = Object.keys(value);
  if (keys.length === 0) return replacement;
  const key = keys[(path[0] as number) % keys.length] as string;
  const copy: Record<string, unknown> = Array.isArray(value) ? ([...value] as unknown as Record<string, unknown>) : { ...(value as Record<string, unknown>) };
  copy[key] = mutateJson((value as Record<string, unknown>)[key], path.slice(1), replacement);
  return copy;
}

/** Imports `bytes` as a file named like the fixture; refused or not, never a bug, and a refusal changes no byte. */
async function importsOrRefuses(dir: string, name: string, bytes: Buffer): Promise<number> {
  const file = join(await makeTempDir(), name);
  await writeFile(file, bytes);
  const before = await hashTree(join(dir, 'config'));
  const run = await runCliInProcess(['--dir', dir, '--json', 'import', file]);
  expect(run.code, `exit 1 is a bug: ${run.stdout}${run.stderr}`).to.not.equal(1);
  expect(run.stderr, 'no stack trace').to.not.match(/\n\s+at /);
  if (run.code !== 0) expect(await hashTree(join(dir, 'config')), `refused (exit ${run.code}) and yet changed`).to.deep.equal(before);
  return run.code ?? -1;
}

describe('Feature: importing mangled files of every format never fails as a bug, and a refusal writes nothing', function () {
  this.timeout(600_000);

  for (const source of SOURCES) {
    it(`${source.name}: ${RUNS} byte-level mutations${source.json ? ` and ${RUNS} JSON-level ones` : ''}`, async function () {
      const dir = join(await makeTempDir(), 'data');
      expect((await runCliInProcess(['--dir', dir, 'init'])).code).to.equal(0);
      const original = await readFile(source.path);
      const codes = new Set<number>();
      await fc.assert(
        fc.asyncProperty(fc.array(byteMutation, { minLength: 1, maxLength: 4 }), async (mutations) => {
          codes.add(await importsOrRefuses(dir, source.name, mutateBytes(original, mutations)));
        }),
        { numRuns: RUNS, seed: 7420 },
      );
      if (source.json) {
        const document = JSON.parse(original.toString('utf8')) as unknown;
        await fc.assert(
          fc.asyncProperty(fc.array(fc.nat(), { maxLength: 6 }), fc.jsonValue({ maxDepth: 3 }), async (path, replacement) => {
            const text = JSON.stringify(mutateJson(document, path, replacement));
            codes.add(await importsOrRefuses(dir, source.name, Buffer.from(text)));
          }),
          { numRuns: RUNS, seed: 7421 },
        );
      }
      expect([...codes].some((code) => code !== 0), 'some mutations were refused').to.equal(true);
      expect((await readdir(dir)).length, 'the folder is still there').to.be.greaterThan(0);
    });
  }
});
