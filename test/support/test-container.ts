import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Container } from 'inversify';
import { createContainer, type ContainerOptions } from '../../src/di/container';
import { IConfigurationService } from '../../src/services/configuration/configuration-service';
import { IFileService } from '../../src/storage/file/file-service';
import { IFileSystem } from '../../src/storage/file-system';
import { IRecordStore } from '../../src/storage/record-store';
import { sharedCluster, stopSharedCluster } from './postgres/throwaway-cluster';

/** One binding to replace with a fake: the token and the value to bind instead. */
export type Override = readonly [token: symbol, value: unknown];

/** The stores a test container can run on. */
export type TestStore = 'file' | 'postgres';

/** A container over a fresh store: a temp data folder, or (AGENTCFG_TEST_STORE=postgres) a fresh database. */
export interface TestContainer {
  container: Container;
  /** Which store the services run on. */
  store: TestStore;
  /**
   * file: the data folder. postgres: a fresh temp folder the store does not use (room for a test's own files,
   * such as a CLI's input), which also names the database: `createTestContainer({ dataDir })` opens it again.
   */
  dataDir: string;
  /** postgres: the URL the application connects as (no DDL). Undefined on the file store. */
  url?: string;
  /** The CLI's global options that open this store: `--dir <dataDir>`, or `--store <url>`. */
  cliStore: string[];
  configuration: IConfigurationService;
  /** Closes the service (a database's connections) and removes the temp folder. */
  dispose(): Promise<void>;
}

const tempDirs: string[] = [];

/** Makes a fresh temp folder for one test; removed when the run ends. */
export async function makeTempDir(prefix = 'agentcfg-test-'): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  tempDirs.push(dir);
  return dir;
}

/** Removes every temp folder made by this run. */
export async function removeTempDirs(): Promise<void> {
  await Promise.all(tempDirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
}

/** The store the suite runs on: `AGENTCFG_TEST_STORE` (`file`, the default, or `postgres`). */
export function testStore(): TestStore {
  const chosen = process.env.AGENTCFG_TEST_STORE || 'file';
  if (chosen !== 'file' && chosen !== 'postgres') throw new Error(`AGENTCFG_TEST_STORE must be 'file' or 'postgres', not '${chosen}'`);
  return chosen;
}

/**
 * A describe about the data folder's files themselves (hand edits of a file, its bytes, file-system fakes, lock or
 * marker files): defined only when the run is on the file store, so a PostgreSQL run neither runs nor lists it.
 */
export function describeFileStoreOnly(title: string, fn: (this: Mocha.Suite) => void): void {
  if (testStore() === 'file') describe(title, fn);
}

/** The database each postgres test container's stand-in folder names, so that passing it back opens the same one. */
const databases = new Map<string, string>();

/** Closers of the postgres-backed services not closed yet; those opened since the current test began, apart. */
const open = new Set<() => Promise<void>>();
let openedInTest = new Set<() => Promise<void>>();

/** Options only the file store has: a test giving one is about files. */
const FILE_OPTIONS = ['fileSystem', 'lockTimeoutMs', 'staleLockMs', 'appendAboveBytes', 'sealAboveBytes', 'compactAfterIdleMs'] as const;
/** Bindings only the file store has: a test faking one is about files. */
const FILE_TOKENS: readonly symbol[] = [IFileSystem, IFileService];

type TestOptions = { overrides?: readonly Override[]; dataDir?: string } & Partial<ContainerOptions>;

/** Where a container's services should run: the file store, or the database at `url` (new unless reopened). */
function storeFor(options: TestOptions): { type: 'file' } | { type: 'postgres'; url?: string } {
  const reopened = options.dataDir === undefined ? undefined : databases.get(options.dataDir);
  const fileOnly = FILE_OPTIONS.some((key) => (options as Record<string, unknown>)[key] !== undefined) || (options.overrides ?? []).some(([token]) => FILE_TOKENS.includes(token));
  if (reopened !== undefined && !fileOnly) return { type: 'postgres', url: reopened };
  // A data folder the test made itself (or one with file-store options) is a file-store test, whichever store the run is on.
  if (testStore() === 'file' || fileOnly || options.dataDir !== undefined) return { type: 'file' };
  return { type: 'postgres' };
}

/** A fresh database of the shared throwaway server, its schema created by the owner role; the app's URL. */
async function freshDatabase(): Promise<string> {
  const { url, ownerUrl } = await (await sharedCluster()).newDatabase();
  const owner = createContainer({ store: { url: ownerUrl, maxConnections: 1 } }).get<IRecordStore>(IRecordStore);
  try {
    await owner.initialize();
  } finally {
    await owner.close?.();
  }
  return url;
}

/**
 * The real services on a fresh store, initialised (templates seeded). Each override rebinds one token to a fake,
 * so a scenario replaces exactly the service whose failure it simulates.
 *
 * The store is the data folder `dataDir` (a fresh temp folder unless given), unless the run is on PostgreSQL
 * (AGENTCFG_TEST_STORE=postgres): then it is a fresh database, migrated by its owner role, and `dataDir` a temp
 * folder it does not use. A `dataDir` handed out by a postgres test container opens that container's database
 * again. A test that gives a data folder of its own, a file-store option (fileSystem, lock or compaction
 * settings) or a fake of a file-store binding (IFileSystem, IFileService) is about files: it gets the file store.
 */
export async function createTestContainer(options: TestOptions = {}): Promise<TestContainer> {
  const { overrides = [], ...rest } = options;
  const where = storeFor(options);
  let container: Container;
  let dataDir: string;
  let url: string | undefined;
  if (where.type === 'file') {
    dataDir = rest.dataDir ?? (await makeTempDir());
    // Nothing folded in the background unless a test asks for it: what a test reads back does not change under it.
    container = createContainer({ compactAfterIdleMs: Infinity, ...rest, dataDir });
  } else {
    dataDir = rest.dataDir ?? (await makeTempDir());
    url = where.url ?? (await freshDatabase());
    databases.set(dataDir, url);
    const { logger, resilience, changePollMs, principal } = rest;
    container = createContainer({ logger, resilience, changePollMs, principal, store: { url } });
  }
  for (const [token, value] of overrides) container.rebind(token).toConstantValue(value);
  const configuration = container.get<IConfigurationService>(IConfigurationService);
  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    open.delete(close);
    openedInTest.delete(close);
    closing ??= configuration.close();
    return closing;
  };
  if (where.type === 'postgres') {
    open.add(close);
    openedInTest.add(close);
  }
  await configuration.initialize();
  const owned = where.type === 'file' || where.url === undefined;
  return {
    container,
    store: where.type,
    dataDir,
    ...(url !== undefined ? { url } : {}),
    cliStore: url !== undefined ? ['--store', url] : ['--dir', dataDir],
    configuration,
    dispose: async () => {
      if (where.type === 'postgres') await close();
      // A reopened database's stand-in folder belongs to the container that made it.
      if (owned) await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * Options that open a fresh store through the library's own entry points (createConfigurationService,
 * createContainer), for a test that does not want a test container: a new temp data folder, or, on a
 * PostgreSQL run, a new database, migrated. What opens it must be closed (IConfigurationService.close).
 */
export async function freshStoreOptions(prefix?: string): Promise<ContainerOptions> {
  if (testStore() === 'file') return { dataDir: await makeTempDir(prefix) };
  return { store: { url: await freshDatabase() } };
}

/** Root hook (before each test): what is opened from here on is the test's own. */
export function beginTestStores(): void {
  openedInTest = new Set();
}

/**
 * Root hook (after each test): closes the postgres-backed services the test (or its beforeEach) opened and left
 * open, such as a container opened again with fakes; their connections would otherwise pile up on the server.
 */
export async function closeTestStores(): Promise<void> {
  const left = [...openedInTest];
  openedInTest = new Set();
  await Promise.all(left.map((close) => close()));
}

/** Root hook (after the run): closes every postgres-backed service still open, then stops the throwaway server. */
export async function closeAllStores(): Promise<void> {
  await Promise.all([...open].map((close) => close()));
  databases.clear();
  await stopSharedCluster();
}
