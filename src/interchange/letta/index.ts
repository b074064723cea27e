/** Reading a Letta agent file (.af) into typed agents, and mapping them to a bundle. */
export { LETTA_LIMITS } from './schemas';
export { lettaLayoutOf, type LettaLayout } from './shape';
export { readLettaFile } from './read';
export { lettaToBundle } from './to-bundle';
export type { LettaAgent, LettaBlock, LettaLlmConfig, LettaTool } from './types';
