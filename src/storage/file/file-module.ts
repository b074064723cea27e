import { ContainerModule } from 'inversify';
import { IAuditLog } from '../../audit/audit-log';
import { ChangeFeedInterval, IChangeFeed } from '../change-feed';
import { IFileSystem, nodeFileSystem } from '../file-system';
import { IRecordStore } from '../record-store';
import { StorageOptions } from '../storage-options';
import { IFileService } from './file-service';
import { FileAuditLog } from './file-audit-log';
import { FileRecordStore } from './file-record-store';
import { JsonFileService } from './json-file-service';
import { ITokenStore } from '../token-store';
import { FileTokenStore } from './file-token-store';

/**
 * Binds the record store of one data folder, its audit trail (which access control writes denials to), its access
 * tokens and its change feed (looking at the files every `changePollMs` while anyone listens).
 */
export function fileStoreModule(options: StorageOptions, changePollMs = 250): ContainerModule {
  return new ContainerModule(({ bind }) => {
    bind<StorageOptions>(StorageOptions).toConstantValue(options);
    bind<IFileSystem>(IFileSystem).toConstantValue(options.fileSystem ?? nodeFileSystem);
    bind<number>(ChangeFeedInterval).toConstantValue(changePollMs);
    bind<IFileService>(IFileService).to(JsonFileService).inSingletonScope();
    bind<IRecordStore>(IRecordStore).to(FileRecordStore).inSingletonScope();
    bind<IAuditLog>(IAuditLog).to(FileAuditLog).inSingletonScope();
    bind<ITokenStore>(ITokenStore).to(FileTokenStore).inSingletonScope();
    bind<IChangeFeed>(IChangeFeed).toResolvedValue((store: IRecordStore) => store.changes, [IRecordStore]).inSingletonScope();
  });
}
