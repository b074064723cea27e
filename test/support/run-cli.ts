import { spawn } from 'node:child_process';
import { join } from 'node:path';

/** The built CLI, as the `agentcfg` binary runs it. */
export const CLI_BIN = join(__dirname, '..', '..', 'bin', 'agentcfg.js');

/** What a CLI run printed and how it exited. */
export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
  /** stdout parsed as JSON (for `--json` runs). */
  json<T = { ok: boolean; data?: unknown; error?: { code: string; message: string; details: { path: string; message: string }[] } }>(): T;
}

/** Runs `agentcfg` as a child process, optionally feeding stdin. */
export function runCli(args: readonly string[], options: { stdin?: string; env?: NodeJS.ProcessEnv; cwd?: string } = {}): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const env = { ...process.env, ...options.env };
    if (!options.env?.AGENTCFG_DIR) delete env.AGENTCFG_DIR; // never let the caller's own data folder leak in
    const child = spawn(process.execPath, [CLI_BIN, ...args], {
      cwd: options.cwd,
      env,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) =>
      resolve({
        code,
        stdout,
        stderr,
        json: () => JSON.parse(stdout),
      }),
    );
    child.stdin.end(options.stdin ?? '');
  });
}
