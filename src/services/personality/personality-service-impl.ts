import { inject, injectable } from 'inversify';
import { IAuditLog } from '../../audit/audit-log';
import { IAccessControl } from '../../security/access-control';
import { personalityCreateSchema, personalitySchema, type Personality, type PersonalityInput, type PersonalityPatch } from '../../domain/personality/personality';
import { type FileTransaction, IFileService } from '../file/file-service';
import { BaseRecordService } from '../shared/base-record-service';
import { assertNoAgentUses } from '../shared/references';
import type { IPersonalityService } from './personality-service';

/** The personality service over the data folder's storage. */
@injectable()
export class PersonalityService extends BaseRecordService<'personality', PersonalityInput, PersonalityPatch> implements IPersonalityService {
  constructor(@inject(IFileService) files: IFileService, @inject(IAccessControl) access: IAccessControl, @inject(IAuditLog) audit: IAuditLog) {
    super('personality', { create: personalityCreateSchema, record: personalitySchema }, { files, access, audit });
  }

  protected override async checkNotInUse(tx: FileTransaction, record: Personality): Promise<void> {
    await assertNoAgentUses(tx, 'personalityId', 'personality', record.id);
  }
}
