import type { Contender, ContenderName } from '../contender';
import { AgentcfgContender } from './agentcfg';
import { AgentcfgPostgresContender } from './agentcfg-postgres';
import { LowdbContender } from './lowdb';
import { PgContender } from './pg';
import { RawFileContender } from './raw';
import { SqliteContender } from './sqlite';

/** A fresh contender of the given name. */
export function createContender(name: ContenderName): Contender {
  switch (name) {
    case 'agentcfg':
      return new AgentcfgContender();
    case 'lowdb':
      return new LowdbContender();
    case 'sqlite':
      return new SqliteContender();
    case 'raw':
      return new RawFileContender();
    case 'agentcfg-postgres':
      return new AgentcfgPostgresContender();
    case 'pg':
      return new PgContender();
  }
}
