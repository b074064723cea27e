import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Container } from 'inversify';
import { createContainer, type ContainerOptions } from '../../src/di/container';
import { IConfigurationService } from '../../src/services/configuration/configuration-service';

/** One binding to replace with a fake: the token and the value to bind instead. */
export type Override = readonly [token: symbol, value: unknown];

/** A container over a fresh temp data folder. */
export interface TestContainer {
  container: Container;
  dataDir: string;
  configuration: IConfigurationService;
  /** Removes the temp folder. */
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

/**
 * The real services on a fresh temp folder, initialised (templates seeded). Each override rebinds one
 * token to a fake, so a scenario replaces exactly the service whose failure it simulates.
 */
export async function createTestContainer(
  options: { overrides?: readonly Override[]; dataDir?: string } & Partial<ContainerOptions> = {},
): Promise<TestContainer> {
  const { overrides = [], ...rest } = options;
  const dataDir = rest.dataDir ?? (await makeTempDir());
  const container = createContainer({ ...rest, dataDir });
  for (const [token, value] of overrides) container.rebind(token).toConstantValue(value);
  const configuration = container.get<IConfigurationService>(IConfigurationService);
  await configuration.initialize();
  return { container, dataDir, configuration, dispose: () => rm(dataDir, { recursive: true, force: true }) };
}
