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
        return ctx.output.success(
          {
            agentId: resolved.agent.id,
            personalityId: resolved.personality.id,
            roleId: resolved.role.id,
            modelConfig: resolved.agent.modelConfig,
            systemPrompt: resolved.systemPrompt,
            warnings: resolved.warnings,
          },
          () => resolved.systemPrompt,
        );
      }),
    );
}
