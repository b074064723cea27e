import 'reflect-metadata';
import { userInfo } from 'node:os';
import { createContextAuthority } from '../security/context-authority';
import { securityModule } from '../security/security-module';
import { principalSchema, type Principal, type PrincipalInput } from '../security/security-context';
import { parseInput } from '../domain/validation/parse-input';
import { Container, ContainerModule } from 'inversify';
import { ILogger, silentLogger } from '../logging/logger';
import { configurationModule } from '../services/configuration/configuration-module';
import { fileStoreModule } from '../storage/file/file-module';
import type { StorageOptions } from '../storage/storage-options';
import { recordsModule } from '../services/shared/records-module';
import { resilienceModule } from '../resilience/resilience-module';
import type { ResilienceOverrides } from '../resilience/service-policies';
import { workflowModule } from '../workflow/workflow-module';
import { consistencyModule } from '../services/consistency/consistency-module';

/** What a container needs to know: the data folder, and optionally a logger and lock timings. */
export interface ContainerOptions extends StorageOptions {
  logger?: ILogger;
  /** Retry, breaker and timeout settings over the defaults. */
  resilience?: ResilienceOverrides;
  /** How often change listeners look for other processes' changes (default 250 ms). */
  changePollMs?: number;
  /** Who the configuration service acts for (default: the OS user, as admin of their own data folder). */
  principal?: PrincipalInput;
}

/** The OS user running the process: by default the admin of their own local data folder. */
export function defaultPrincipal(): Principal {
  let actor: string;
  try {
    actor = userInfo().username;
  } catch {
    actor = process.env.USER ?? process.env.USERNAME ?? 'local-user';
  }
  return { actor, access: 'admin' };
}

/** Builds the one container of an agentcfg instance from the feature modules. */
export function createContainer(options: ContainerOptions): Container {
  const { logger, resilience, changePollMs: _poll, principal, ...storage } = options;
  const authority = createContextAuthority();
  const container = new Container({ defaultScope: 'Singleton' });
  container.load(
    new ContainerModule(({ bind }) => {
      bind<ILogger>(ILogger).toConstantValue(logger ?? silentLogger());
    }),
    fileStoreModule(storage, options.changePollMs),
    securityModule(authority),
    recordsModule,
    resilienceModule(resilience),
    workflowModule,
    consistencyModule,
    configurationModule(authority.issue, principal ? parseInput(principalSchema, principal, 'principal', { operation: 'createContainer' }) : defaultPrincipal()),
  );
  return container;
}
