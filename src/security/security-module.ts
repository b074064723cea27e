import { ContainerModule } from 'inversify';
import { IAuditLog } from '../audit/audit-log';
import { IAccessControl } from './access-control';
import type { ContextAuthority } from './context-authority';
import { PolicyAccessControl } from './policy-access-control';

/** Binds access control to the container's context authority; only its `verify` half is handed out. */
export function securityModule(authority: ContextAuthority): ContainerModule {
  return new ContainerModule(({ bind }) => {
    bind<IAccessControl>(IAccessControl)
      .toResolvedValue((audit: IAuditLog) => new PolicyAccessControl({ verify: (value) => authority.verify(value) }, audit), [IAuditLog])
      .inSingletonScope();
  });
}
