import { Command, Option } from 'commander';
import { ACCESS_LEVELS, type AccessLevel } from '../security/security-context';
import type { AccessTokenInfo } from '../services/tokens/token-service';
import type { CliIO } from './cli-io';
import { action, type CommandResult } from './command-context';
import { formatTable } from './text-format';

function formatTokens(tokens: readonly AccessTokenInfo[]): string {
  if (tokens.length === 0) return 'No access tokens.';
  return formatTable(
    ['NAME', 'ACCESS', 'CREATED', 'BY', 'REVOKED'],
    tokens.map((t) => [t.name, t.access, t.createdAt, t.createdBy, t.revokedAt ? `${t.revokedAt} by ${t.revokedBy ?? '?'}` : '']),
  );
}

/** `token create|list|revoke`: the access tokens of the HTTP API and console (admins only; secrets shown once). */
export function tokenCommands(io: CliIO, result: CommandResult): Command {
  const group = new Command('token').description('access tokens for `agentcfg serve` (admins only; only their hashes are stored)');

  group
    .command('create')
    .description('create a token and print its secret, once')
    .requiredOption('--name <name>', 'what the token is called; its requests are audited as this actor')
    .addOption(new Option('--access <level>', 'the level the token grants (not yours)').choices([...ACCESS_LEVELS]).makeOptionMandatory())
    .action(
      action(io, result, async (ctx, options: { name: string; access: AccessLevel }) => {
        const { token, secret } = await (await ctx.configuration()).createToken({ name: options.name, access: options.access });
        return ctx.output.success({ ...token, secret }, () => `Created token '${token.name}' (${token.access}). Its secret, shown this once:\n${secret}`);
      }),
    );

  group
    .command('list')
    .description('list tokens, revoked ones included, without their secrets')
    .action(
      action(io, result, async (ctx) => {
        const tokens = await (await ctx.reading()).listTokens();
        return ctx.output.success(tokens, () => formatTokens(tokens));
      }),
    );

  group
    .command('revoke')
    .argument('<name>', 'the token to revoke')
    .description('revoke a token: its secret is refused from now on')
    .action(
      action(io, result, async (ctx, name: string) => {
        const token = await (await ctx.configuration()).revokeToken(name);
        return ctx.output.success(token, () => `Revoked token '${token.name}'.`);
      }),
    );

  return group;
}
