import { Command, InvalidArgumentError, Option } from 'commander';
import type { CliIO } from '../cli/cli-io';
import { action, type CommandResult } from '../cli/command-context';
import { printable } from '../domain/validation/text-hygiene';
import { isLoopback } from './allowed-hosts';
import { DEFAULT_HOST, DEFAULT_PORT, startServer } from './start-server';

/** Parses `--port`: 0 (any free port) to 65535. */
function parsePort(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n > 65535) throw new InvalidArgumentError('must be a port number from 0 (any free port) to 65535');
  return n;
}

/** What binding beyond this machine exposes, said plainly. */
function exposureWarning(host: string, port: number): string {
  return (
    `agentcfg: warning: --host ${host} is not a loopback address: anyone who can reach this machine on port ${port} ` +
    'can reach the API and try access tokens, and the traffic is plain HTTP, so tokens, session cookies and every record ' +
    'cross the network unencrypted. Bind to 127.0.0.1 (the default) unless that is what you want, and put a TLS proxy in front.\n'
  );
}

/**
 * `serve [--port 7420] [--host 127.0.0.1]`: the HTTP API over the configuration the global --dir/--store open,
 * until SIGINT or SIGTERM, when it stops listening, ends event streams and closes the service.
 */
export function serveCommand(io: CliIO, result: CommandResult): Command {
  return new Command('serve')
    .description('serve the HTTP API (/api/v1) over the data folder or database, printing a one-time login link (Ctrl-C stops)')
    .addOption(new Option('--port <n>', 'the port to listen on; 0 picks a free one').default(DEFAULT_PORT).argParser(parsePort))
    .addOption(new Option('--host <address>', 'the address to bind; anything but loopback exposes the API to the network').default(DEFAULT_HOST))
    .action(
      action(io, result, async (ctx, options: { port: number; host: string }) => {
        const configuration = await ctx.configuration();
        const server = await startServer({
          configuration,
          host: options.host,
          port: options.port,
          onInternalError: (error) => io.stderr(`agentcfg: error: ${printable(error instanceof Error ? (error.stack ?? error.message) : String(error))}\n`),
        });
        if (!isLoopback(options.host)) io.stderr(exposureWarning(options.host, server.port));
        const login = server.loginLink(configuration.principal);
        if (ctx.output.json) io.stdout(`${JSON.stringify({ ok: true, data: { url: server.url, port: server.port, login } })}\n`);
        else {
          io.stdout(`agentcfg serve: listening on ${server.url} (port ${server.port}); API at ${server.url}/api/v1\n`);
          io.stdout(`Log in once as ${configuration.principal.actor} (${configuration.principal.access}): ${login}\n`);
          io.stdout('Ctrl-C stops the server.\n');
        }
        await new Promise<void>((resolve) => {
          const stop = () => {
            process.off('SIGINT', stop);
            process.off('SIGTERM', stop);
            resolve();
          };
          process.once('SIGINT', stop);
          process.once('SIGTERM', stop);
        });
        await server.close();
        if (!ctx.output.json) io.stdout('agentcfg serve: stopped.\n');
        return 0;
      }),
    );
}
