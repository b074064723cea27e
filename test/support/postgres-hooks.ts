import { beginTestStores, closeAllStores, closeTestStores } from './test-container';

/**
 * Root hooks of the PostgreSQL run (.mocharc.postgres.json, beside mocha-hooks.ts): the services a test opened on a
 * database are closed after it, and every one left, then the throwaway server, when the run ends, so that no
 * connection pool keeps the process (or the server) alive.
 */
export const mochaHooks = {
  beforeEach: beginTestStores,
  afterEach: closeTestStores,
  afterAll: closeAllStores,
};
