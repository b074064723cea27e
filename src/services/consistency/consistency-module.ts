import { ContainerModule } from 'inversify';
import { IConsistencyService } from './consistency-service';
import { ConsistencyService } from './consistency-service-impl';

/** Binds verify and repair. */
export const consistencyModule = new ContainerModule(({ bind }) => {
  bind<IConsistencyService>(IConsistencyService).to(ConsistencyService).inSingletonScope();
});
