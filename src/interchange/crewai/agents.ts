import { z } from 'zod';
import { splitLlm, type CrewAiLlm } from './llm';

/** Caps on each field: CrewAI sets none, so these only bound a hostile file (well above real ones). */
export const CREWAI_LIMITS = { key: 200, role: 1000, goal: 10_000, backstory: 32 * 1024, llm: 300, tool: 200, tools: 200, agents: 1000 } as const;

function text(max: number): z.ZodString {
  return z.string('must be a string').max(max, `must be at most ${max} characters`).regex(/\S/, 'must not be blank');
}

const agentSchema = z.looseObject(
  {
    role: text(CREWAI_LIMITS.role),
    goal: text(CREWAI_LIMITS.goal),
    backstory: text(CREWAI_LIMITS.backstory),
    // An empty YAML value (`llm:`) is null: read as not set.
    llm: text(CREWAI_LIMITS.llm)
      .refine((value) => splitLlm(value) !== null, 'must be provider/model-id (e.g. openai/gpt-4o) or a bare model id')
      .nullish(),
    tools: z.array(text(CREWAI_LIMITS.tool), 'must be a list of tool names').max(CREWAI_LIMITS.tools, `must list at most ${CREWAI_LIMITS.tools} tools`).nullish(),
    allow_delegation: z.boolean('must be true or false').nullish(),
  },
  'must be a map with role, goal and backstory',
);

/** agents.yaml: agent keys mapped to agents. */
export const crewAiAgentsSchema = z
  .record(text(CREWAI_LIMITS.key), agentSchema, 'must be a map of agent keys to agents (role, goal, backstory)')
  .refine((agents) => Object.keys(agents).length > 0, 'holds no agents')
  .refine((agents) => Object.keys(agents).length <= CREWAI_LIMITS.agents, `must hold at most ${CREWAI_LIMITS.agents} agents`);

const KNOWN = ['role', 'goal', 'backstory', 'llm', 'tools', 'allow_delegation'];

/** One agent of a CrewAI agents.yaml. */
export interface CrewAiAgent {
  /** Its key in the file (CrewAI's method name for it). */
  key: string;
  role: string;
  goal: string;
  backstory: string;
  llm?: CrewAiLlm;
  tools?: string[];
  allowDelegation?: boolean;
  /** Every other key (verbose, max_iter, memory…), kept as it was. */
  extra: Record<string, unknown>;
  /** Where it was read from. */
  source: string;
}

/** A validated agent, typed. Text is kept as written ({placeholders} and trailing newlines included). */
export function normaliseCrewAiAgent(key: string, agent: z.output<typeof agentSchema>, source: string): CrewAiAgent {
  const typed: CrewAiAgent = {
    key,
    role: agent.role,
    goal: agent.goal,
    backstory: agent.backstory,
    llm: agent.llm ? (splitLlm(agent.llm) ?? undefined) : undefined,
    tools: agent.tools ?? undefined,
    allowDelegation: agent.allow_delegation ?? undefined,
    extra: Object.fromEntries(Object.entries(agent).filter(([name]) => !KNOWN.includes(name))),
    source,
  };
  // Absent fields are absent, not present as undefined.
  return Object.fromEntries(Object.entries(typed).filter(([, value]) => value !== undefined)) as CrewAiAgent;
}
