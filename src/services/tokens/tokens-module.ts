import { ContainerModule } from 'inversify';
import { IAuditLog } from '../../audit/audit-log';
import { IAccessControl } from '../../security/access-control';
import { ITokenStore } from '../../storage/token-store';
import { ITokenService } from './token-service';
import { TokenService } from './token-service-impl';

/** Binds the token service over the store's tokens. */
export const tokensModule = new ContainerModule(({ bind }) => {
  bind<ITokenService>(ITokenService)
    .toResolvedValue((store: ITokenStore, access: IAccessControl, audit: IAuditLog) => new TokenService(store, access, audit), [ITokenStore, IAccessControl, IAuditLog])
    .inSingletonScope();
});
