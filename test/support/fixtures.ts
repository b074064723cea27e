import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The folder of JSON fixtures. */
export const FIXTURES_DIR = join(__dirname, '..', 'fixtures');

/** Loads a JSON fixture by its path under test/fixtures. */
export function loadFixture<T>(relativePath: string): T {
  return JSON.parse(readFileSync(join(FIXTURES_DIR, relativePath), 'utf8')) as T;
}
