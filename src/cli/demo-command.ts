import { Command } from 'commander';
import type { AgentInput } from '../domain/agent/agent';
import type { PersonalityInput } from '../domain/personality/personality';
import type { RoleInput } from '../domain/role/role';
import type { IConfigurationService } from '../services/configuration/configuration-service';
import type { CliIO } from './cli-io';
import { action, type CommandResult } from './command-context';
import { recordCommandSpec } from './record-kinds';
import { recordTable, type RecordCommandSpec } from './record-commands';

const DEMO_PERSONALITY: PersonalityInput = {
  id: 'demo-mentor',
  name: 'Demo Mentor',
  description: 'Patient, precise and encouraging.',
  openness: 70, conscientiousness: 85, extraversion: 45, agreeableness: 75, neuroticism: 20,
  formality: 55, humor: 35, assertiveness: 60, empathy: 80, storytelling: 30, brevity: 65, imagination: 50,
  playfulness: 25, dramaticism: 10, analyticalDepth: 85, contrarianism: 40, encouragement: 80, curiosity: 75, patience: 90,
  customInstructions: 'Always end a review with the single most important next step.',
};

const DEMO_ROLE: RoleInput = {
  id: 'demo-code-reviewer',
  name: 'Code Reviewer',
  description: 'Reviews changes for correctness, clarity and risk.',
  systemPrompt:
    'You are a code reviewer in a team chat. Read the change under discussion, point out bugs, unclear names and ' +
    'missing tests, and explain each finding with a short example of the fix.',
  focusAreas: ['correctness', 'readability', 'tests'],
};

const DEMO_AGENT: AgentInput = {
  id: 'demo-reviewer',
  name: 'Rev',
  description: 'The demo agent: a mentor-style code reviewer.',
  personalityId: 'demo-mentor',
  roleId: 'demo-code-reviewer',
  color: '#4F46E5',
  modelConfig: { provider: 'anthropic', modelId: 'claude-sonnet-4-0', parameters: { temperature: 0.4, maxTokens: 2048 } },
};

interface DemoStep {
  step: string;
  id: string;
  status: 'created' | 'already present';
}

async function ensure(
  step: string,
  id: string,
  get: () => Promise<unknown>,
  create: () => Promise<unknown>,
): Promise<DemoStep> {
  if (await get()) return { step, id, status: 'already present' };
  await create();
  return { step, id, status: 'created' };
}

async function table(spec: RecordCommandSpec, configuration: IConfigurationService): Promise<string> {
  return recordTable(spec, await spec.operations(configuration).list());
}

/** `demo`: the guided main job on a local data folder. Safe to run again: it reuses what it made before. */
export function demoCommand(io: CliIO, result: CommandResult): Command {
  return new Command('demo')
    .description('initialise a data folder, create a personality, a role and an agent, and show the agent\'s system prompt')
    .action(
      action(io, result, async (ctx) => {
        const c = await ctx.configuration();
        const steps = [
          await ensure('personality', 'demo-mentor', () => c.getPersonality('demo-mentor'), () => c.createPersonality(DEMO_PERSONALITY)),
          await ensure('role', 'demo-code-reviewer', () => c.getRole('demo-code-reviewer'), () => c.createRole(DEMO_ROLE)),
          await ensure('agent', 'demo-reviewer', () => c.getAgent('demo-reviewer'), () => c.createAgent(DEMO_AGENT)),
        ];
        const resolved = await c.resolveAgent('demo-reviewer');
        const summary = await c.summary();
        const tables = {
          personalities: await table(recordCommandSpec('personality'), c),
          roles: await table(recordCommandSpec('role'), c),
          agents: await table(recordCommandSpec('agent'), c),
        };
        const data = {
          dataDir: c.dataDir,
          steps,
          systemPrompt: resolved.systemPrompt,
          personalities: await c.getAllPersonalities(),
          roles: await c.getAllRoles(),
          agents: await c.getAllAgents(),
          summary,
        };
        return ctx.output.success(data, () =>
          [
            `agentcfg demo — data folder: ${c.dataDir}`,
            '',
            '1. Initialised the data folder and seeded the templates.',
            ...steps.map((s, i) => `${i + 2}. ${s.step} '${s.id}': ${s.status}.`),
            '',
            `Effective system prompt of agent '${resolved.agent.id}' (${resolved.agent.modelConfig.provider}/${resolved.agent.modelConfig.modelId}):`,
            '----',
            resolved.systemPrompt,
            '----',
            '',
            'Personalities:',
            tables.personalities,
            '',
            'Roles:',
            tables.roles,
            '',
            'Agents:',
            tables.agents,
            '',
            `Summary: ${summary.personalities.total} personalities (${summary.personalities.templates} templates), ` +
              `${summary.roles.total} roles (${summary.roles.templates} templates), ${summary.agents.total} agent(s).`,
            `Try: agentcfg --dir ${c.dataDir} agent resolve demo-reviewer`,
          ].join('\n'),
        );
      }),
    );
}
