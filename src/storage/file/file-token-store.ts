import { inject, injectable } from 'inversify';
import { join } from 'node:path';
import { z } from 'zod';
import { ConflictError, IntegrityError, NotFoundError } from '../../domain/errors/errors';
import { ACCESS_LEVELS } from '../../security/security-context';
import { writeFileDurably } from '../durable-write';
import { IFileSystem } from '../file-system';
import { StorageOptions } from '../storage-options';
import type { ITokenStore, StoredToken } from '../token-store';
import { DEFAULT_WRITE_LOCK_OPTIONS, WriteLock } from '../write-lock';

const storedTokenSchema = z.strictObject({
  name: z.string().min(1),
  access: z.enum(ACCESS_LEVELS),
  hash: z.string().regex(/^[0-9a-f]{64}$/),
  createdAt: z.string(),
  createdBy: z.string(),
  revokedAt: z.string().optional(),
  revokedBy: z.string().optional(),
});

const tokensFileSchema = z.strictObject({ tokens: z.array(storedTokenSchema) });

/**
 * Access tokens of a data folder in `access/tokens.json` (hashes only, never a secret), replaced whole and durably
 * under a lock of its own: tokens change rarely, and a folder's records need not wait for them.
 */
@injectable()
export class FileTokenStore implements ITokenStore {
  private readonly path: string;
  private readonly lock: WriteLock;

  constructor(
    @inject(StorageOptions) storage: StorageOptions,
    @inject(IFileSystem) private readonly fs: IFileSystem,
  ) {
    this.path = join(storage.dataDir, 'access', 'tokens.json');
    this.lock = new WriteLock(this.path, { ...DEFAULT_WRITE_LOCK_OPTIONS, guards: 'the access tokens', confineTo: storage.dataDir });
  }

  async add(token: Omit<StoredToken, 'revokedAt' | 'revokedBy'>): Promise<void> {
    await this.changing((tokens) => {
      if (tokens.some((t) => t.name === token.name && t.revokedAt === undefined)) {
        throw new ConflictError(`a token named '${token.name}' exists; revoke it first or choose another name`, null, { context: { service: 'tokens', operation: 'create', name: token.name } });
      }
      return { tokens: [...tokens, token], result: undefined };
    });
  }

  list(): Promise<StoredToken[]> {
    return this.read();
  }

  async findByHash(hash: string): Promise<StoredToken | null> {
    return (await this.read()).find((t) => t.hash === hash) ?? null;
  }

  revoke(name: string, by: string, at: string): Promise<StoredToken> {
    return this.changing((tokens) => {
      const index = tokens.findIndex((t) => t.name === name && t.revokedAt === undefined);
      if (index === -1) throw new NotFoundError('token', name, { service: 'tokens', operation: 'revoke' });
      const revoked = { ...(tokens[index] as StoredToken), revokedAt: at, revokedBy: by };
      return { tokens: tokens.map((t, i) => (i === index ? revoked : t)), result: revoked };
    });
  }

  /** Reads, changes and writes the file back under the lock. */
  private async changing<T>(change: (tokens: StoredToken[]) => { tokens: StoredToken[]; result: T }): Promise<T> {
    // The folder first: the lock's own file lives beside the tokens file.
    await this.fs.mkdir(join(this.path, '..'), { recursive: true });
    return this.lock.run(async () => {
      const { tokens, result } = change(await this.read());
      await writeFileDurably(this.fs, this.path, `${JSON.stringify({ tokens }, null, 2)}\n`);
      return result;
    });
  }

  private async read(): Promise<StoredToken[]> {
    let text: string;
    try {
      text = await this.fs.readFile(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    let parsed: ReturnType<typeof tokensFileSchema.safeParse>;
    try {
      parsed = tokensFileSchema.safeParse(JSON.parse(text));
    } catch {
      parsed = tokensFileSchema.safeParse(undefined);
    }
    if (!parsed.success) throw new IntegrityError(`${this.path} is not a valid tokens file; restore it from a backup or remove it (every token is then revoked)`, { context: { file: this.path } });
    return parsed.data.tokens as StoredToken[];
  }
}
