import { PERSONALITY_TRAITS, type IConfigurationService, type Personality, type PersonalityInput } from '../dist/index';

type AgentWithDependencies = Parameters<IConfigurationService['createAgentWithDependencies']>[0];

/** What every contender stores: the same records, in the same sizes. */
export interface AgentRequest extends AgentWithDependencies {
  personality: PersonalityInput & { id: string };
  role: { id: string; name: string; description: string; systemPrompt: string; focusAreas: string[] };
  agent: { id: string; name: string; color: string; modelConfig: { provider: 'anthropic'; modelId: string; parameters: { temperature: number } } };
}

const STAMP = '2025-01-01T00:00:00.000Z';
// Pads each personality to about 600 bytes of compact JSON, the size the reference figures used.
const INSTRUCTIONS = 'Cite the numbers you rely on; say so when you are unsure.';

/** The body of a personality as a caller sends it; traits vary with `n` so records differ. */
export function personalityInput(id: string, n: number): PersonalityInput & { id: string } {
  const traits = Object.fromEntries(PERSONALITY_TRAITS.map((trait, i) => [trait, (n * 7 + i * 13) % 101]));
  return {
    id,
    name: `Personality ${n}`,
    description: `A generated personality, number ${n}, for the benchmark.`,
    ...(traits as Record<(typeof PERSONALITY_TRAITS)[number], number>),
    customInstructions: INSTRUCTIONS,
  };
}

/** The N stored personalities every contender starts from (ids `p-0` … `p-(N-1)`). */
export function existingPersonalities(count: number): Personality[] {
  return Array.from({ length: count }, (_, n) => ({
    ...personalityInput(`p-${n}`, n),
    isTemplate: false,
    version: 1,
    createdAt: STAMP,
    updatedAt: STAMP,
  }));
}

/** A personality, a role and an agent that uses both, with ids unique to `tag`. */
export function agentRequest(tag: string, n: number): AgentRequest {
  return {
    personality: personalityInput(`wp-${tag}`, n),
    role: {
      id: `wr-${tag}`,
      name: `Role ${tag}`,
      description: 'Reviews proposals.',
      systemPrompt: 'You review proposals for correctness and risk.',
      focusAreas: ['correctness', 'risk'],
    },
    agent: {
      id: `wa-${tag}`,
      name: `Agent ${tag}`,
      color: '#3366CC',
      modelConfig: { provider: 'anthropic', modelId: 'claude-3-5-haiku-latest', parameters: { temperature: 0.5 } },
    },
  };
}

/** Size of a record as compact JSON, for the report. */
export function recordBytes(record: unknown): number {
  return Buffer.byteLength(JSON.stringify(record));
}

/** A body with the fields agentcfg manages added, so the baselines store records of the same size. */
export function stamp<T extends object>(body: T): T & { isTemplate: boolean; version: number; createdAt: string; updatedAt: string } {
  const now = new Date().toISOString();
  return { ...body, isTemplate: false, version: 1, createdAt: now, updatedAt: now };
}
