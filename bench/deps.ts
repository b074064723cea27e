import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const BENCH_DIR = __dirname;

function installedVersion(name: string): string | undefined {
  try {
    return (JSON.parse(readFileSync(join(BENCH_DIR, 'node_modules', name, 'package.json'), 'utf8')) as { version?: string }).version;
  } catch {
    return undefined;
  }
}

/** Names of pinned packages that are missing or at another version, and a native binding not built. */
function missing(): string[] {
  const manifest = JSON.parse(readFileSync(join(BENCH_DIR, 'package.json'), 'utf8')) as Record<string, Record<string, string> | undefined>;
  const pinned = { ...manifest.dependencies, ...manifest.devDependencies };
  const stale = Object.entries(pinned).filter(([name, version]) => installedVersion(name) !== version).map(([name]) => name);
  if (!existsSync(join(BENCH_DIR, 'node_modules', 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node'))) stale.push('better-sqlite3 (native build)');
  return stale;
}

// better-sqlite3 builds from source (a couple of minutes on two cores), so install only when something is missing,
// not on every run. `npm ci` installs exactly bench/package-lock.json; package.json lists better-sqlite3 under
// allowScripts, so npm runs its build script without a warning.
const needed = missing();
if (needed.length > 0) {
  process.stderr.write(`bench: installing the baselines into bench/node_modules (${needed.join(', ')})\n`);
  const result = spawnSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: BENCH_DIR, stdio: ['ignore', 'inherit', 'inherit'] });
  if (result.status !== 0 || missing().length > 0) {
    process.stderr.write('bench: installing the baselines failed\n');
    process.exit(1);
  }
}

// The PostgreSQL contenders use `pg` from the repository root's node_modules (a dependency of the library, found
// from bench/ by Node's usual lookup up the folders), not a copy of their own; and the run starts a throwaway
// PostgreSQL server of its own, which needs the server's binaries.
try {
  require.resolve('pg', { paths: [BENCH_DIR] });
} catch {
  process.stderr.write('bench: `pg` is not installed at the repository root: run `npm ci` there\n');
  process.exit(1);
}
const postgres = spawnSync('bash', [join(BENCH_DIR, '..', 'scripts', 'ensure-postgres.sh')], { stdio: ['ignore', 'inherit', 'inherit'] });
if (postgres.status !== 0) {
  process.stderr.write("bench: PostgreSQL's server binaries are missing (see the message above)\n");
  process.exit(1);
}
