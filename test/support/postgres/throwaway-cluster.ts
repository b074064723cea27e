import { execFile, execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { appendFile, chown, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

/** A PostgreSQL server of its own in a temp folder, with the two roles the application uses in production. */
export interface ThrowawayCluster {
  /** The application role: postgres://agentcfg_app:<password>@127.0.0.1:<port>/agentcfg (no DDL). */
  url: string;
  /** The database owner: a role that may run DDL (migrations). */
  ownerUrl: string;
  /** A fresh empty database on the same server, owned by the owner role and set up for the app role as `agentcfg` is. */
  newDatabase(): Promise<{ url: string; ownerUrl: string }>;
  /** Stops the server, keeping its data, as an outage would (`immediate`: as a crash would). */
  halt(mode?: 'fast' | 'immediate'): Promise<void>;
  /** Starts a halted server again on the same port. */
  resume(): Promise<void>;
  /** Stops the server (fast shutdown) and removes its temp folder. */
  stop(): Promise<void>;
}

const HINT = 'run `bash scripts/ensure-postgres.sh` to install them';
// initdb refuses to run as root: as root the server's commands run as the `postgres` system user instead.
const AS_ROOT = process.getuid?.() === 0;
// Hex only, so it may be written into SQL and URLs as it is.
const secret = (): string => randomBytes(16).toString('hex');
const urlOf = (user: string, password: string, port: number, db: string): string =>
  `postgres://${user}:${password}@127.0.0.1:${port}/${db}`;

/** The newest Debian-style /usr/lib/postgresql/<major>/bin (kept off PATH there), else the first PATH entry with all three. */
function findBinDir(): string {
  const root = '/usr/lib/postgresql';
  const majors = existsSync(root) ? readdirSync(root).filter((v) => /^\d+$/.test(v)).sort((a, b) => Number(b) - Number(a)) : [];
  const candidates = [...majors.map((v) => join(root, v, 'bin')), ...(process.env.PATH ?? '').split(delimiter).filter(Boolean)];
  const dir = candidates.find((d) => ['initdb', 'pg_ctl', 'postgres'].every((b) => existsSync(join(d, b))));
  if (!dir) throw new Error(`PostgreSQL's server binaries (initdb, pg_ctl, postgres) were not found under ${root}/*/bin nor on PATH: ${HINT}`);
  return dir;
}

function postgresUserIds(): [number, number] {
  try {
    const id = (flag: string): number => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim());
    return [id('-u'), id('-g')];
  } catch (error) {
    throw new Error(`running as root, but there is no \`postgres\` system user to run the server as: ${HINT}`, { cause: error });
  }
}

/** The environment without PG* variables, so a developer's PGHOST/PGDATABASE/PGSSLMODE cannot redirect our commands. */
function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('PG')));
  return { ...env, ...extra };
}

/** A command line run as the server's user (see AS_ROOT). */
const asServerUser = (cmd: string, args: string[]): [string, string[]] =>
  AS_ROOT ? ['runuser', ['-u', 'postgres', '--', cmd, ...args]] : [cmd, args];

async function exec(cmd: string, args: string[], options: { cwd: string; env: NodeJS.ProcessEnv }): Promise<string> {
  try {
    return (await execFileAsync(cmd, args, { ...options, encoding: 'utf8' })).stdout;
  } catch (error) {
    const e = error as { stderr?: string; message: string };
    throw new Error(`${cmd} ${args.join(' ')} failed: ${e.stderr?.trim() || e.message}`, { cause: error });
  }
}

/** A port nobody listens on now (the OS picks it); start() retries should someone take it before the server does. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

interface Started {
  cluster: ThrowawayCluster;
  /** Best-effort synchronous stop, for process.on('exit') where nothing asynchronous runs any more. */
  stopSync(): void;
}

async function start(): Promise<Started> {
  const bin = findBinDir();
  const psql = [join(bin, 'psql'), '/usr/bin/psql'].find((p) => existsSync(p)) ?? 'psql';
  const ids = AS_ROOT ? postgresUserIds() : undefined;
  // Under os.tmpdir(), which the postgres user must be able to traverse (/tmp is); sockets go here too, not /var/run.
  const dir = await mkdtemp(join(tmpdir(), 'agentcfg-pg-'));
  const [data, log] = [join(dir, 'data'), join(dir, 'server.log')];
  const [superPassword, owner, app] = [secret(), secret(), secret()];
  const own = async (path: string): Promise<void> => (ids ? chown(path, ...ids) : undefined);
  const server = (cmd: string, args: string[]): Promise<string> =>
    exec(...asServerUser(join(bin, cmd), args), { cwd: dir, env: cleanEnv() });
  let port = 0;
  let running = false;
  // The superuser speaks over the unix socket in `dir`, each statement its own -c (CREATE DATABASE can't share one).
  const superSql = (db: string, statements: string[]): Promise<string> =>
    exec(psql, ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-h', dir, '-p', String(port), '-U', 'postgres', '-d', db,
      ...statements.flatMap((s) => ['-c', s])], { cwd: dir, env: cleanEnv({ PGPASSWORD: superPassword }) });

  const createDatabase = async (db: string): Promise<{ url: string; ownerUrl: string }> => {
    await superSql('postgres', [`CREATE DATABASE ${db} OWNER agentcfg_owner`]);
    await superSql(db, [
      `GRANT CONNECT ON DATABASE ${db} TO agentcfg_app`,
      // Already so on 15 (public belongs to pg_database_owner); said anyway so the app role never gets DDL.
      'REVOKE CREATE ON SCHEMA public FROM PUBLIC',
      'GRANT USAGE ON SCHEMA public TO agentcfg_app',
      // Tables the owner creates later (migrations) become usable by the app role without a grant per table.
      'SET ROLE agentcfg_owner',
      'ALTER DEFAULT PRIVILEGES FOR ROLE agentcfg_owner IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO agentcfg_app',
      'ALTER DEFAULT PRIVILEGES FOR ROLE agentcfg_owner IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO agentcfg_app',
    ]);
    return { url: urlOf('agentcfg_app', app, port, db), ownerUrl: urlOf('agentcfg_owner', owner, port, db) };
  };
  let stopped = false;
  const stopSync = (): void => {
    if (stopped) return;
    stopped = true;
    try {
      // Immediate: the data is thrown away anyway, and the process is exiting.
      if (running) execFileSync(...asServerUser(join(bin, 'pg_ctl'), ['-D', data, '-w', '-m', 'immediate', 'stop']), { cwd: dir, env: cleanEnv(), stdio: 'ignore' });
    } catch { /* best effort */ }
    rmSync(dir, { recursive: true, force: true });
  };
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    try {
      if (running) await server('pg_ctl', ['-D', data, '-w', '-m', 'fast', 'stop']);
    } finally {
      // Even if pg_ctl failed: a postmaster whose folder is gone shuts itself down.
      await rm(dir, { recursive: true, force: true });
    }
  };

  try {
    await own(dir);
    const pwfile = join(dir, 'superuser.pw');
    await writeFile(pwfile, `${superPassword}\n`, { mode: 0o600 });
    await own(pwfile);
    // Passwords everywhere, socket included. --no-sync: a throwaway needs no durable initdb; the server keeps fsync on.
    await server('initdb', ['-D', data, '-U', 'postgres', '-A', 'scram-sha-256', `--pwfile=${pwfile}`,
      '--no-locale', '-E', 'UTF8', '--no-sync']);
    await rm(pwfile);
    // Our settings live in a file of their own, rewritten when a port must be picked again.
    await appendFile(join(data, 'postgresql.conf'), "\ninclude_if_exists = 'throwaway.conf'\n");
    for (let attempt = 1; !running; attempt++) {
      port = await freePort();
      await writeFile(join(data, 'throwaway.conf'), [
        "listen_addresses = '127.0.0.1'", `port = ${port}`, `unix_socket_directories = '${dir}'`,
        'fsync = on', 'max_connections = 200', 'shared_buffers = 16MB', '',
      ].join('\n'));
      try {
        await server('pg_ctl', ['-D', data, '-w', '-l', log, 'start']);
        running = true;
      } catch (error) {
        if (attempt >= 3) {
          const tail = existsSync(log) ? readFileSync(log, 'utf8').split('\n').slice(-15).join('\n') : '(no log)';
          throw new Error(`${(error as Error).message}\nserver log:\n${tail}`, { cause: error });
        }
      }
    }
    await superSql('postgres', [`CREATE ROLE agentcfg_owner LOGIN PASSWORD '${owner}'`, `CREATE ROLE agentcfg_app LOGIN PASSWORD '${app}'`]);
    let databases = 0;
    const newDatabase = (): Promise<{ url: string; ownerUrl: string }> => createDatabase(`agentcfg_${++databases}`);
    const halt = async (mode: 'fast' | 'immediate' = 'fast'): Promise<void> => {
      await server('pg_ctl', ['-D', data, '-w', '-m', mode, 'stop']);
      running = false;
    };
    const resume = async (): Promise<void> => {
      await server('pg_ctl', ['-D', data, '-w', '-l', log, 'start']);
      running = true;
    };
    return { cluster: { ...(await createDatabase('agentcfg')), newDatabase, halt, resume, stop }, stopSync };
  } catch (error) {
    await stop().catch(() => undefined);
    throw error;
  }
}

/** Starts a new server; the caller must stop() it. */
export async function startThrowawayCluster(): Promise<ThrowawayCluster> {
  return (await start()).cluster;
}

let shared: Promise<Started> | undefined;

/** One server per test process, started on first use; stop it with stopSharedCluster() in an after-hook. */
export function sharedCluster(): Promise<ThrowawayCluster> {
  if (!shared) {
    const starting = start();
    shared = starting;
    starting.then(
      // Should no after-hook stop it (a crash, --bail), the server must not outlive the tests.
      (s) => process.on('exit', s.stopSync),
      () => { if (shared === starting) shared = undefined; }, // a failed start is retried by the next caller
    );
  }
  return shared.then((s) => s.cluster);
}

/** Stops the shared server, if one was started; safe to call more than once. */
export async function stopSharedCluster(): Promise<void> {
  const starting = shared;
  shared = undefined; // cleared first: a caller arriving meanwhile gets a new server, not this stopping one
  const started = await starting?.catch(() => undefined);
  if (!started) return;
  process.off('exit', started.stopSync);
  await started.cluster.stop();
}
