import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

/** Starts a TypeScript worker from test/support/workers as its own Node process. */
export function startWorker(name: string, args: readonly string[]): ChildProcess {
  return spawn(process.execPath, ['-r', 'ts-node/register', join(__dirname, 'workers', `${name}.ts`), ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, TS_NODE_TRANSPILE_ONLY: 'true', TS_NODE_PROJECT: join(__dirname, '..', '..', 'tsconfig.json') },
  });
}

/** Waits for a worker to exit; resolves with its exit code and output. */
export function waitForExit(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

/** Resolves with the first stdout line that starts with `prefix`. */
export function waitForLine(child: ChildProcess, prefix: string): Promise<string> {
  return new Promise((resolve, reject) => {
    let buffered = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      buffered += chunk.toString('utf8');
      const line = buffered.split('\n').find((l) => l.startsWith(prefix));
      if (line) resolve(line);
    });
    child.on('close', (code) => reject(new Error(`worker exited (${code}) before printing ${prefix}`)));
  });
}
