import { ContainerModule } from 'inversify';
import { IAuditLog } from '../../audit/audit-log';
import { IAccessControl } from '../../security/access-control';
import type { ContextAuthority } from '../../security/context-authority';
import type { Principal } from '../../security/security-context';
import { IWorkflowService } from '../../workflow/workflow-service';
import { IConsistencyService } from '../consistency/consistency-service';
import { IChangeFeed } from '../../storage/change-feed';
import { IRecordStore } from '../../storage/record-store';
import { IRecordServices } from '../shared/record-services';
import { ITokenService } from '../tokens/token-service';
import { IConfigurationService } from './configuration-service';
import { ConfigurationService, type ConfigurationParts } from './configuration-service-impl';

type Parts = [IRecordStore, IRecordServices, IWorkflowService, IConsistencyService, IChangeFeed, IAccessControl, IAuditLog, ITokenService];

/**
 * Binds the configuration service, handing it the authority's `issue` in a closure: no other binding holds
 * it, so nothing resolved from the container can mint a security context.
 */
export function configurationModule(issue: ContextAuthority['issue'], principal: Principal): ContainerModule {
  return new ContainerModule(({ bind }) => {
    bind<IConfigurationService>(IConfigurationService)
      .toResolvedValue(
        (...[store, records, workflows, consistency, feed, access, audit, tokens]: Parts) => {
          const parts: ConfigurationParts = { store, records, workflows, consistency, feed, access, audit, tokens, issue };
          return new ConfigurationService(parts, principal);
        },
        [IRecordStore, IRecordServices, IWorkflowService, IConsistencyService, IChangeFeed, IAccessControl, IAuditLog, ITokenService],
      )
      .inSingletonScope();
  });
}
