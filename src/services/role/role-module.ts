import { ContainerModule } from 'inversify';
import { IRoleService } from './role-service';
import { RoleService } from './role-service-impl';

/** Binds the role service. */
export const roleModule = new ContainerModule(({ bind }) => {
  bind<IRoleService>(IRoleService).to(RoleService).inSingletonScope();
});
