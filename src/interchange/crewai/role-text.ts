import { ROLE_LIMITS } from '../../domain/role/role';
import { clip } from '../clip-text';

/** A CrewAI agent's three texts, as written. */
export interface CrewAiTexts {
  role: string;
  goal: string;
  backstory: string;
}

/**
 * What a role keeps so an export gives the texts back exactly: the role and goal as imported (a name or description
 * may cut them, and they let the backstory be found in the system prompt after either field is edited), and the
 * whitespace the fields trim.
 */
export interface KeptTexts {
  role?: string;
  goal?: string;
  /** Whitespace before and after each text that had some (folded YAML text ends in a newline). */
  whitespace?: Partial<Record<keyof CrewAiTexts, [string, string]>>;
}

/** The agentcfg role's texts, and what it keeps aside. */
export interface RoleTexts {
  name: string;
  description: string;
  systemPrompt: string;
  /** Whether the system prompt is CrewAI's from all three texts (else the backstory alone, which fits). */
  composed: boolean;
  kept: KeptTexts;
}

const TEXTS = ['role', 'goal', 'backstory'] as const;

function goalLine(goal: string): string {
  return `\nYour personal goal is: ${goal}`;
}

/** CrewAI's own system prompt for an agent (its `role_playing` slice), so an agentcfg agent says what CrewAI's said. */
function rolePlaying(role: string, backstory: string, goal: string): string {
  return `You are ${role}. ${backstory}${goalLine(goal)}`;
}

function splitWhitespace(text: string): [string, string, string] {
  const [, before = '', core = '', after = ''] = /^(\s*)([\s\S]*?)(\s*)$/.exec(text) ?? [];
  return [before, core, after];
}

/**
 * A role from CrewAI's texts: the role names it, the goal describes it, and the system prompt is the one CrewAI
 * builds from all three (the backstory alone when that would not fit). Text is trimmed; see KeptTexts for what is
 * kept aside.
 */
export function roleTextsOf(texts: CrewAiTexts): RoleTexts {
  const kept: KeptTexts = {};
  const core = {} as CrewAiTexts;
  for (const field of TEXTS) {
    const [before, text, after] = splitWhitespace(texts[field]);
    core[field] = text;
    if (before !== '' || after !== '') kept.whitespace = { ...kept.whitespace, [field]: [before, after] };
  }
  kept.role = core.role;
  kept.goal = core.goal;
  const composed = rolePlaying(core.role, core.backstory, core.goal);
  const fits = composed.length <= ROLE_LIMITS.systemPrompt;
  return {
    name: clip(core.role, ROLE_LIMITS.name),
    description: clip(core.goal, ROLE_LIMITS.description),
    systemPrompt: fits ? composed : core.backstory,
    composed: fits,
    kept,
  };
}

/** The backstory in a system prompt of CrewAI's shape, trying the texts as imported and as they are now; else null. */
function backstoryIn(systemPrompt: string, roles: readonly string[], goals: readonly string[]): string | null {
  for (const prefix of roles.map((role) => `You are ${role}. `)) {
    for (const suffix of goals.map(goalLine)) {
      if (systemPrompt.length > prefix.length + suffix.length && systemPrompt.startsWith(prefix) && systemPrompt.endsWith(suffix)) {
        return systemPrompt.slice(prefix.length, -suffix.length);
      }
    }
  }
  return null;
}

/**
 * CrewAI's texts from a role: the role and goal as imported while the name and description are still what the
 * import made of them, else the fields as they are now; the backstory from the system prompt's middle (all of it
 * once the prompt is edited out of CrewAI's shape); each with its kept whitespace around it.
 */
export function crewAiTextsOf(role: { name: string; description: string; systemPrompt: string }, kept: KeptTexts): CrewAiTexts {
  const roleText = kept.role !== undefined && clip(kept.role, ROLE_LIMITS.name) === role.name ? kept.role : role.name;
  const goalText = kept.goal !== undefined && clip(kept.goal, ROLE_LIMITS.description) === role.description ? kept.goal : role.description.trim() || roleText;
  const known = (text: string | undefined): text is string => text !== undefined;
  const backstory = backstoryIn(role.systemPrompt, [kept.role, roleText].filter(known), [kept.goal, goalText].filter(known)) ?? role.systemPrompt;
  const core: CrewAiTexts = { role: roleText, goal: goalText, backstory };
  const wrap = (field: keyof CrewAiTexts) => {
    const [before, after] = kept.whitespace?.[field] ?? ['', ''];
    return `${before}${core[field]}${after}`;
  };
  return { role: wrap('role'), goal: wrap('goal'), backstory: wrap('backstory') };
}

function isText(value: unknown): value is string {
  return typeof value === 'string';
}

/** The kept texts of a stored role's `extensions.crewai`, taking only what has the right shape (it may be edited). */
export function keptTextsFrom(value: unknown): KeptTexts {
  if (typeof value !== 'object' || value === null) return {};
  const { role, goal, whitespace } = value as Record<string, unknown>;
  const kept: KeptTexts = {};
  if (isText(role)) kept.role = role;
  if (isText(goal)) kept.goal = goal;
  if (typeof whitespace === 'object' && whitespace !== null) {
    for (const field of TEXTS) {
      const pair = (whitespace as Record<string, unknown>)[field];
      if (Array.isArray(pair) && pair.length === 2 && pair.every(isText)) kept.whitespace = { ...kept.whitespace, [field]: [pair[0], pair[1]] };
    }
  }
  return kept;
}
