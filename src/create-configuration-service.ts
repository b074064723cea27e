import { createContainer, type ContainerOptions } from './di/container';
import { IConfigurationService } from './services/configuration/configuration-service';

/** Opens (creating if needed) a data folder and returns its configuration service, templates seeded. */
export async function createConfigurationService(options: ContainerOptions): Promise<IConfigurationService> {
  const configuration = createContainer(options).get<IConfigurationService>(IConfigurationService);
  await configuration.initialize();
  return configuration;
}
