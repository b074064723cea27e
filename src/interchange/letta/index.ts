/** Reading a Letta agent file (.af) into typed agents. */
export { LETTA_LIMITS } from './schemas';
export { lettaLayoutOf, type LettaLayout } from './shape';
export { readLettaFile } from './read';
export type { LettaAgent, LettaBlock, LettaLlmConfig, LettaTool } from './types';
