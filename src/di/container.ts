import 'reflect-metadata';
import { Container, ContainerModule } from 'inversify';
import { ILogger, silentLogger } from '../logging/logger';
import { agentModule } from '../services/agent/agent-module';
import { configurationModule } from '../services/configuration/configuration-module';
import { fileModule } from '../services/file/file-module';
import type { StorageOptions } from '../services/file/file-service';
import { personalityModule } from '../services/personality/personality-module';
import { roleModule } from '../services/role/role-module';
import { resilienceModule } from '../resilience/resilience-module';
import type { ResilienceOverrides } from '../resilience/service-policies';
import { workflowModule } from '../workflow/workflow-module';
import { consistencyModule } from '../services/consistency/consistency-module';
import { eventsModule } from '../services/events/events-module';

/** What a container needs to know: the data folder, and optionally a logger and lock timings. */
export interface ContainerOptions extends StorageOptions {
  logger?: ILogger;
  /** Retry, breaker and timeout settings over the defaults. */
  resilience?: ResilienceOverrides;
  /** How often change listeners look for other processes' changes (default 250 ms). */
  changePollMs?: number;
}

/** Builds the one container of an agentcfg instance from the feature modules. */
export function createContainer(options: ContainerOptions): Container {
  const { logger, resilience, changePollMs: _poll, ...storage } = options;
  const container = new Container({ defaultScope: 'Singleton' });
  container.load(
    new ContainerModule(({ bind }) => {
      bind<ILogger>(ILogger).toConstantValue(logger ?? silentLogger());
    }),
    fileModule(storage),
    personalityModule,
    roleModule,
    agentModule,
    resilienceModule(resilience),
    workflowModule,
    consistencyModule,
    eventsModule(options.changePollMs),
    configurationModule,
  );
  return container;
}
