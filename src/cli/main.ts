import { processIO } from './cli-io';
import { printable } from '../domain/validation/text-hygiene';
import { internalMessage } from './output';
import { runCli } from './program';

/** Entry point of the `agentcfg` binary. */
export function main(): void {
  runCli(process.argv.slice(2), processIO()).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`agentcfg: ${printable(internalMessage(error))}\n`); // the stack stays out of the output
      process.exitCode = 1;
    },
  );
}

if (require.main === module) main();
