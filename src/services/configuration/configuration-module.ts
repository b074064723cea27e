import { ContainerModule } from 'inversify';
import { IConfigurationService } from './configuration-service';
import { ConfigurationService } from './configuration-service-impl';

/** Binds the configuration service. */
export const configurationModule = new ContainerModule(({ bind }) => {
  bind<IConfigurationService>(IConfigurationService).to(ConfigurationService).inSingletonScope();
});
