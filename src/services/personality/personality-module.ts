import { ContainerModule } from 'inversify';
import { IPersonalityService } from './personality-service';
import { PersonalityService } from './personality-service-impl';

/** Binds the personality service. */
export const personalityModule = new ContainerModule(({ bind }) => {
  bind<IPersonalityService>(IPersonalityService).to(PersonalityService).inSingletonScope();
});
