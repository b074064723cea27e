import { createHash, randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { IAuditLog } from '../../audit/audit-log';
import { parseInput } from '../../domain/validation/parse-input';
import type { IAccessControl } from '../../security/access-control';
import { guarded } from '../../security/guarded';
import { ACCESS_LEVELS, type Principal, type SecurityContext } from '../../security/security-context';
import type { ITokenStore, StoredToken } from '../../storage/token-store';
import type { AccessTokenInfo, ITokenService } from './token-service';

/** What a secret looks like: a prefix that says what it is (so a leaked one is recognised), then 256 random bits. */
const SECRET_PREFIX = 'acfg_';
const SECRET_PATTERN = /^acfg_[A-Za-z0-9_-]{43}$/;

const createSchema = z.strictObject({
  name: z
    .string()
    .min(1, 'must not be empty')
    .max(100, 'must be at most 100 characters')
    .regex(/^[\w.@-]+$/, 'must be letters, digits, _ . @ -'),
  access: z.enum(ACCESS_LEVELS, { message: `must be one of ${ACCESS_LEVELS.join(', ')}` }),
});

const nameSchema = createSchema.shape.name;

/** sha256 of a secret: 256 random bits need no slow hash, only one that cannot be turned back. */
function hashOf(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

function infoOf({ hash: _hash, ...token }: StoredToken): AccessTokenInfo {
  return token;
}

/** Access tokens over the store's token port; every change is audited, a refusal too. */
export class TokenService implements ITokenService {
  constructor(
    private readonly store: ITokenStore,
    private readonly access: IAccessControl,
    private readonly audit: IAuditLog,
  ) {}

  create(input: { name: string; access: (typeof ACCESS_LEVELS)[number] }, context: SecurityContext): Promise<{ token: AccessTokenInfo; secret: string }> {
    const target = { kind: 'token', id: typeof input?.name === 'string' ? input.name.slice(0, 100) : '?' };
    return guarded({ access: this.access, audit: this.audit }, context, 'manage-tokens', { action: 'token.create', target }, async (checked) => {
      const { name, access } = parseInput(createSchema, input, 'token', { service: 'tokens', operation: 'create' });
      const secret = `${SECRET_PREFIX}${randomBytes(32).toString('base64url')}`;
      const token = { name, access, hash: hashOf(secret), createdAt: new Date().toISOString(), createdBy: checked.actor };
      await this.store.add(token);
      await this.audit.append({ actor: checked.actor, role: checked.access, requestId: checked.requestId, action: 'token.create', target: { kind: 'token', id: name }, grants: access, outcome: 'ok' });
      return { token: infoOf(token), secret };
    });
  }

  list(context: SecurityContext): Promise<AccessTokenInfo[]> {
    return guarded({ access: this.access, audit: this.audit }, context, 'manage-tokens', { action: 'token.list' }, async () => (await this.store.list()).map(infoOf));
  }

  revoke(name: string, context: SecurityContext): Promise<AccessTokenInfo> {
    const target = { kind: 'token', id: typeof name === 'string' ? name.slice(0, 100) : '?' };
    return guarded({ access: this.access, audit: this.audit }, context, 'manage-tokens', { action: 'token.revoke', target }, async (checked) => {
      parseInput(nameSchema, name, 'token name', { service: 'tokens', operation: 'revoke' });
      const revoked = await this.store.revoke(name, checked.actor, new Date().toISOString());
      await this.audit.append({ actor: checked.actor, role: checked.access, requestId: checked.requestId, action: 'token.revoke', target, outcome: 'ok' });
      return infoOf(revoked);
    });
  }

  async authenticate(secret: string): Promise<Principal | null> {
    if (typeof secret !== 'string' || !SECRET_PATTERN.test(secret)) return null;
    const token = await this.store.findByHash(hashOf(secret));
    return token && token.revokedAt === undefined ? { actor: token.name, access: token.access } : null;
  }
}
