import { ContainerModule } from 'inversify';
import { IAuditLog } from './audit-log';
import { FileAuditLog } from './file-audit-log';

/** Binds the audit log of the data folder. */
export const auditModule = new ContainerModule(({ bind }) => {
  bind<IAuditLog>(IAuditLog).to(FileAuditLog).inSingletonScope();
});
