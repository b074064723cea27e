import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, readdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import ts from 'typescript';
import { makeTempDir } from './test-container';

const ROOT = join(__dirname, '..', '..');
/** What a worker may import: the library and the test support code (fixtures are linked, not copied). */
const SOURCE_DIRS = ['src', join('test', 'support')];

let compiled: Promise<string> | undefined;

async function tsFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const nested = await Promise.all(
    entries.map((e) => (e.isDirectory() ? tsFiles(join(dir, e.name)) : Promise.resolve(e.name.endsWith('.ts') && !e.name.endsWith('.d.ts') ? [join(dir, e.name)] : []))),
  );
  return nested.flat();
}

async function transpileAll(): Promise<string> {
  const out = await makeTempDir('agentcfg-workers-');
  const { config } = ts.readConfigFile(join(ROOT, 'tsconfig.json'), (path) => ts.sys.readFile(path));
  const { options } = ts.parseJsonConfigFileContent(config, ts.sys, ROOT);
  const compilerOptions: ts.CompilerOptions = {
    ...options,
    module: ts.ModuleKind.CommonJS,
    moduleResolution: ts.ModuleResolutionKind.Node10,
    declaration: false,
    sourceMap: false,
    inlineSourceMap: true,
  };
  const files = (await Promise.all(SOURCE_DIRS.map((dir) => tsFiles(join(ROOT, dir))))).flat();
  for (const file of files) {
    const target = join(out, relative(ROOT, file)).replace(/\.ts$/, '.js');
    const { outputText } = ts.transpileModule(await readFile(file, 'utf8'), { compilerOptions, fileName: file });
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, outputText);
  }
  await symlink(join(ROOT, 'node_modules'), join(out, 'node_modules'), 'dir');
  await symlink(join(ROOT, 'test', 'fixtures'), join(out, 'test', 'fixtures'), 'dir');
  await writeFile(join(out, 'package.json'), await readFile(join(ROOT, 'package.json')));
  return out;
}

/**
 * Transpiles src/ and test/support/ to CommonJS once per test run (types are the type check's business), so a
 * worker starts in well under a second: through ts-node, loading the library takes about five.
 */
export function compileWorkers(): Promise<string> {
  return (compiled ??= transpileAll());
}

/** Starts a worker of test/support/workers from its transpiled copy; stdin stays open for the parent to talk to it. */
export async function startCompiledWorker(name: string, args: readonly string[]): Promise<ChildProcess> {
  const out = await compileWorkers();
  return spawn(process.execPath, [join(out, 'test', 'support', 'workers', `${name}.js`), ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
}
