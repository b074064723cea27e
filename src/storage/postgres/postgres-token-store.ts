import type { Pool } from 'pg';
import { ConflictError, NotFoundError } from '../../domain/errors/errors';
import type { AccessLevel } from '../../security/security-context';
import type { ITokenStore, StoredToken } from '../token-store';
import { guardDb, storeError } from './pg-errors';

interface TokenRow {
  name: string;
  access: AccessLevel;
  hash: string;
  created_at: Date;
  created_by: string;
  revoked_at: Date | null;
  revoked_by: string | null;
}

const COLUMNS = 'name, access, hash, created_at, created_by, revoked_at, revoked_by';

function tokenOf(row: TokenRow): StoredToken {
  return {
    name: row.name,
    access: row.access,
    hash: row.hash,
    createdAt: row.created_at.toISOString(),
    createdBy: row.created_by,
    ...(row.revoked_at ? { revokedAt: row.revoked_at.toISOString(), revokedBy: row.revoked_by ?? '' } : {}),
  };
}

/** Access tokens in `agentcfg_tokens` (hashes only); the database keeps live names unique. */
export class PostgresTokenStore implements ITokenStore {
  constructor(private readonly pool: Pool) {}

  async add(token: Omit<StoredToken, 'revokedAt' | 'revokedBy'>): Promise<void> {
    try {
      await this.pool.query('INSERT INTO agentcfg_tokens (name, access, hash, created_at, created_by) VALUES ($1, $2, $3, $4, $5)', [
        token.name,
        token.access,
        token.hash,
        token.createdAt,
        token.createdBy,
      ]);
    } catch (error) {
      if ((error as { code?: string }).code === '23505') throw taken(token.name);
      throw storeError(error, 'token.add');
    }
  }

  list(): Promise<StoredToken[]> {
    return guardDb('token.list', async () => (await this.pool.query<TokenRow>(`SELECT ${COLUMNS} FROM agentcfg_tokens ORDER BY position`)).rows.map(tokenOf));
  }

  findByHash(hash: string): Promise<StoredToken | null> {
    return guardDb('token.find', async () => {
      const row = (await this.pool.query<TokenRow>(`SELECT ${COLUMNS} FROM agentcfg_tokens WHERE hash = $1`, [hash])).rows[0];
      return row ? tokenOf(row) : null;
    });
  }

  async revoke(name: string, by: string, at: string): Promise<StoredToken> {
    const row = await guardDb('token.revoke', async () => (await this.pool.query<TokenRow>(`UPDATE agentcfg_tokens SET revoked_at = $2, revoked_by = $3 WHERE name = $1 AND revoked_at IS NULL RETURNING ${COLUMNS}`, [name, at, by])).rows[0]);
    if (!row) throw new NotFoundError('token', name, { service: 'tokens', operation: 'revoke' });
    return tokenOf(row);
  }
}

function taken(name: string): ConflictError {
  return new ConflictError(`a token named '${name}' exists; revoke it first or choose another name`, null, { context: { service: 'tokens', operation: 'create', name } });
}
