import { processIO } from './cli-io';
import { runCli } from './program';

/** Entry point of the `agentcfg` binary. */
export function main(): void {
  runCli(process.argv.slice(2), processIO()).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`agentcfg: internal error: ${(error as Error)?.message ?? String(error)}\n`);
      process.exitCode = 1;
    },
  );
}

if (require.main === module) main();
