import { inject, injectable } from 'inversify';
import { IAuditLog } from '../../audit/audit-log';
import { IAccessControl } from '../../security/access-control';
import { roleCreateSchema, roleSchema, type Role, type RoleInput, type RolePatch } from '../../domain/role/role';
import { type FileTransaction, IFileService } from '../file/file-service';
import { BaseRecordService } from '../shared/base-record-service';
import { assertNoAgentUses } from '../shared/references';
import type { IRoleService } from './role-service';

/** The role service over the data folder's storage. */
@injectable()
export class RoleService extends BaseRecordService<'role', RoleInput, RolePatch> implements IRoleService {
  constructor(@inject(IFileService) files: IFileService, @inject(IAccessControl) access: IAccessControl, @inject(IAuditLog) audit: IAuditLog) {
    super('role', { create: roleCreateSchema, record: roleSchema }, { files, access, audit });
  }

  protected override async checkNotInUse(tx: FileTransaction, record: Role): Promise<void> {
    await assertNoAgentUses(tx, 'roleId', 'role', record.id);
  }
}
