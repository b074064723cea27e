import type { Command } from 'commander';
import type { CliIO } from './cli-io';
import { action, type CommandResult } from './command-context';

/** Adds `agent resolve <id>`: prints the effective system prompt. */
export function addResolveCommand(agentGroup: Command, io: CliIO, result: CommandResult): void {
  agentGroup
    .command('resolve <id>')
    .description("print the agent's effective system prompt (role + personality + custom instructions)")
    .action(
      action(io, result, async (ctx, id: string) => {
        const resolved = await (await ctx.reading()).resolveAgent(id);
        for (const warning of resolved.warnings) ctx.output.note(`agentcfg: warning: ${warning}`);
        const { connection } = resolved;
        // stdout holds the prompt alone (to pipe into an app); where it is sent is said beside it.
        if (connection && !ctx.output.json) ctx.output.note(`agentcfg: connection: ${connection.id} (${connection.provider}${connection.baseUrl ? ` at ${connection.baseUrl}` : ''}${connection.apiKeyRef ? `, key from ${connection.apiKeyRef}` : ''})`);
        return ctx.output.success(
          {
            agentId: resolved.agent.id,
            personalityId: resolved.personality.id,
            roleId: resolved.role.id,
            modelConfig: resolved.agent.modelConfig,
            connection: connection ? { id: connection.id, provider: connection.provider, baseUrl: connection.baseUrl ?? null, defaultModelId: connection.defaultModelId ?? null, apiKeyRef: connection.apiKeyRef ?? null } : null,
            systemPrompt: resolved.systemPrompt,
            warnings: resolved.warnings,
          },
          () => resolved.systemPrompt,
        );
      }),
    );
}
