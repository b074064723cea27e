import { ContainerModule } from 'inversify';
import { IAuditLog } from '../../audit/audit-log';
import { everyKind, RECORD_KINDS } from '../../domain/kinds/registry';
import { IAccessControl } from '../../security/access-control';
import { IRecordStore } from '../../storage/record-store';
import { RecordService } from './record-service-impl';
import { IRecordServices, recordServiceToken } from './record-services';

/**
 * Binds a record service for every kind of the registry, each under its own token (so a test can replace one),
 * and the map of them all that the workflow engine, verify and the configuration service work with.
 */
export const recordsModule = new ContainerModule(({ bind }) => {
  for (const kind of RECORD_KINDS) {
    bind(recordServiceToken(kind))
      .toResolvedValue((store: IRecordStore, access: IAccessControl, audit: IAuditLog) => new RecordService(kind, { store, access, audit }), [IRecordStore, IAccessControl, IAuditLog])
      .inSingletonScope();
  }
  bind<IRecordServices>(IRecordServices)
    .toDynamicValue((context) => everyKind((kind) => context.get(recordServiceToken(kind))) as IRecordServices)
    .inSingletonScope();
});
