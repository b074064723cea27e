import { processIO, stdoutLost } from './cli-io';
import { ExitCode } from './exit-codes';
import { environmentFaultOf, storageUnavailable } from '../storage/io-errors';
import { printable } from '../domain/validation/text-hygiene';
import { internalMessage } from './output';
import { runCli } from './program';

/** Entry point of the `agentcfg` binary. */
export function main(): void {
  const io = processIO(); // writes through it end quietly if the reader goes away (`agentcfg ... | head`)
  runCli(process.argv.slice(2), io).then(
    (code) => {
      // A reader that left is no failure, but output lost to a full disk must not pass for success.
      const lost = code === ExitCode.OK ? stdoutLost(io) : undefined;
      if (lost === undefined) {
        process.exitCode = code;
        return;
      }
      const fault = environmentFaultOf(lost);
      const message = fault ? storageUnavailable(String(fault.code), 'write', 'the output', { cause: lost }).message : lost.message;
      io.stderr(`agentcfg: the output could not be written: ${printable(message)}\n`);
      process.exitCode = fault ? ExitCode.STORAGE_UNAVAILABLE : ExitCode.INTERNAL;
    },
    (error: unknown) => {
      io.stderr(`agentcfg: ${printable(internalMessage(error))}\n`); // the stack stays out of the output
      process.exitCode = 1;
    },
  );
}

if (require.main === module) main();
