import { ContainerModule } from 'inversify';
import { IFileService, StorageOptions } from './file-service';
import { JsonFileService } from './json-file-service';
import { IFileSystem, nodeFileSystem } from '../../storage/file-system';

/** Binds the JSON file storage of one data folder. */
export function fileModule(options: StorageOptions): ContainerModule {
  return new ContainerModule(({ bind }) => {
    bind<StorageOptions>(StorageOptions).toConstantValue(options);
    bind<IFileSystem>(IFileSystem).toConstantValue(options.fileSystem ?? nodeFileSystem);
    bind<IFileService>(IFileService).to(JsonFileService).inSingletonScope();
  });
}
