import type { IFileSystem } from '../../src/storage/file-system';
import { runCli as runProgram } from '../../src/cli/program';
import type { CliRun } from './run-cli';

/** Runs the command line inside this process (same contract as the binary), so coverage sees the CLI code. */
export async function runCliInProcess(args: readonly string[], options: { stdin?: string; env?: NodeJS.ProcessEnv; fileSystem?: IFileSystem } = {}): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const code = await runProgram(args, {
    stdout: (text) => (stdout += text),
    stderr: (text) => (stderr += text),
    readStdin: async () => options.stdin ?? '',
    env: { ...options.env },
    ...(options.fileSystem ? { fileSystem: options.fileSystem } : {}),
  });
  return { code, stdout, stderr, json: () => JSON.parse(stdout) };
}
