import { ContainerModule } from 'inversify';
import { ChangeFeedInterval, IChangeFeed } from './change-feed';
import { PollingChangeFeed } from './polling-change-feed';

/** Binds the change feed, looking at the files every `intervalMs` while anyone listens. */
export function eventsModule(intervalMs = 250): ContainerModule {
  return new ContainerModule(({ bind }) => {
    bind<number>(ChangeFeedInterval).toConstantValue(intervalMs);
    bind<IChangeFeed>(IChangeFeed).to(PollingChangeFeed).inSingletonScope();
  });
}
