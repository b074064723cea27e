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
import { postgresStoreModule } from '../storage/postgres/postgres-module';
import type { PostgresStoreOptions } from '../storage/postgres/postgres-record-store';
import type { StorageOptions } from '../storage/storage-options';
import { recordsModule } from '../services/shared/records-module';
import { tokensModule } from '../services/tokens/tokens-module';
import { resilienceModule } from '../resilience/resilience-module';
import type { ResilienceOverrides } from '../resilience/service-policies';
import { workflowModule } from '../workflow/workflow-module';
import { consistencyModule } from '../services/consistency/consistency-module';

/** What every container may be told besides where its store is. */
interface CommonOptions {
  logger?: ILogger;
  /** Retry, breaker and timeout settings over the defaults. */
  resilience?: ResilienceOverrides;
  /** How often change listeners look for other processes' changes (default 250 ms). */
  changePollMs?: number;
  /** Who the configuration service acts for (default: the OS user, as admin of their own data folder). */
  principal?: PrincipalInput;
}

/**
 * What a container needs to know: where its store is — a data folder (the default store, with its lock timings
 * and the like) or `store: { url }`, a PostgreSQL database — and optionally a logger, resilience settings and who
 * acts.
 */
export type ContainerOptions = CommonOptions & (StorageOptions | { store: PostgresStoreOptions; dataDir?: undefined });

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

/** The file store's options among a container's. */
function storageOf({ logger: _logger, resilience: _resilience, changePollMs: _poll, principal: _principal, ...storage }: CommonOptions & StorageOptions): StorageOptions {
  return storage;
}

/** Builds the one container of an agentcfg instance from the feature modules. */
export function createContainer(options: ContainerOptions): Container {
  const { logger, resilience, changePollMs, principal } = options;
  const authority = createContextAuthority();
  const container = new Container({ defaultScope: 'Singleton' });
  container.load(
    new ContainerModule(({ bind }) => {
      bind<ILogger>(ILogger).toConstantValue(logger ?? silentLogger());
    }),
    'store' in options && options.store ? postgresStoreModule(options.store, changePollMs) : fileStoreModule(storageOf(options as CommonOptions & StorageOptions), changePollMs),
    securityModule(authority),
    recordsModule,
    resilienceModule(resilience),
    workflowModule,
    consistencyModule,
    tokensModule,
    configurationModule(authority.issue, principal ? parseInput(principalSchema, principal, 'principal', { operation: 'createContainer' }) : defaultPrincipal()),
  );
  return container;
}
