import { Command } from 'commander';
import type { ChangeEvent } from '../storage/change-feed';
import type { CliIO } from './cli-io';
import { RECORD_KINDS } from '../domain/kinds/registry';
import { action, type CommandResult } from './command-context';
import { parseVersion } from './record-commands';

/**
 * `watch [--json] [--count <n>]`: streams change events as this or other processes make them, until
 * interrupted or `--count` events were seen. With --json each line is one JSON document (first the folder
 * watched, then one per event), so a stream reader can act on every line.
 */
export function watchCommand(io: CliIO, result: CommandResult): Command {
  return new Command('watch')
    .description('stream personality, role and agent changes made by any process using the folder (one JSON document per line with --json)')
    .option('--count <n>', 'stop after this many events', parseVersion)
    .action(
      action(io, result, async (ctx, options: { count?: number }) => {
        const configuration = await ctx.reading();
        const line = (doc: unknown) => io.stdout(`${JSON.stringify(doc)}\n`);
        if (ctx.output.json) line({ ok: true, data: { watching: configuration.dataDir } });
        else io.stdout(`Watching ${configuration.dataDir} (Ctrl-C to stop)\n`);
        return new Promise<number>((resolve) => {
          let seen = 0;
          const subscriptions = RECORD_KINDS.map((kind) =>
            configuration.onDidChange(kind, (event: ChangeEvent) => {
              if (ctx.output.json) line({ ok: true, data: event });
              else io.stdout(`${event.kind} ${event.id} ${event.change} (version ${event.version}, revision ${event.revision})\n`);
              if (options.count !== undefined && ++seen >= options.count) stop();
            }),
          );
          let stopped = false;
          const stop = () => {
            if (stopped) return; // the reader may leave at the very event that reaches --count
            stopped = true;
            subscriptions.forEach((s) => s.dispose());
            process.off('SIGINT', stop);
            process.off('SIGTERM', stop);
            io.stdoutClosed?.removeEventListener('abort', stop);
            resolve(0);
          };
          process.once('SIGINT', stop);
          process.once('SIGTERM', stop);
          // Nobody reads the stream any more (`agentcfg watch | head -1`): stop as at Ctrl-C.
          if (io.stdoutClosed?.aborted) stop();
          else io.stdoutClosed?.addEventListener('abort', stop, { once: true });
        });
      }),
    );
}
