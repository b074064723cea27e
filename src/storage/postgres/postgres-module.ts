import { ContainerModule } from 'inversify';
import type { Pool } from 'pg';
import { IAuditLog } from '../../audit/audit-log';
import { IAccessControl } from '../../security/access-control';
import { ChangeFeedInterval, IChangeFeed } from '../change-feed';
import { DegradableStore } from '../degradable-store';
import { IRecordStore } from '../record-store';
import { PostgresAuditLog } from './postgres-audit-log';
import { ITokenStore } from '../token-store';
import { PostgresTokenStore } from './postgres-token-store';
import { openPool, PostgresRecordStore, redactedUrl, type PostgresStoreOptions } from './postgres-record-store';

const PostgresPool = Symbol.for('agentcfg.PostgresPool');

/**
 * Binds the record store on a PostgreSQL database, its audit trail (which access control writes denials to), its
 * access tokens and its change feed (looking at the database every `changePollMs` while anyone listens).
 */
export function postgresStoreModule(options: PostgresStoreOptions, changePollMs = 250): ContainerModule {
  return new ContainerModule(({ bind }) => {
    bind<number>(ChangeFeedInterval).toConstantValue(changePollMs);
    bind<Pool>(PostgresPool).toDynamicValue(() => openPool(options)).inSingletonScope();
    bind<IAuditLog>(IAuditLog).toResolvedValue((pool: Pool) => new PostgresAuditLog(pool, redactedUrl(options.url)), [PostgresPool]).inSingletonScope();
    bind<IRecordStore>(IRecordStore)
      // Behind a breaker: while the server is away, reads come from the last snapshot and writes fail fast.
      .toResolvedValue(
        (pool: Pool, audit: IAuditLog, access: IAccessControl) => new DegradableStore(new PostgresRecordStore(pool, audit as PostgresAuditLog, access, { changePollMs, url: options.url }), options.breaker),
        [PostgresPool, IAuditLog, IAccessControl],
      )
      .inSingletonScope();
    bind<ITokenStore>(ITokenStore).toResolvedValue((pool: Pool) => new PostgresTokenStore(pool), [PostgresPool]).inSingletonScope();
    bind<IChangeFeed>(IChangeFeed).toResolvedValue((store: IRecordStore) => store.changes, [IRecordStore]).inSingletonScope();
  });
}
