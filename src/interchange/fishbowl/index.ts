/** Fishbowl's settings (its user-data folder, or one of its files): read into typed objects, mapped to and from a bundle. */
export type { FishbowlAgent } from './agents';
export {
  FISHBOWL_AGENT_BEHAVIOURS,
  FISHBOWL_BEHAVIOURS,
  FISHBOWL_BIG_FIVE,
  FISHBOWL_LEGACY_BEHAVIOURS,
  type FishbowlAgentBehaviourKey,
  type FishbowlBehaviourKey,
  type FishbowlBigFiveKey,
  type FishbowlLegacyBehaviourKey,
} from './behaviours';
export { FISHBOWL_FILES, type FishbowlFileKind } from './files';
export { bundleToFishbowl, type FishbowlExportOptions, type FishbowlFileName } from './from-bundle';
export { FISHBOWL_PROVIDERS, type FishbowlLlmConfig } from './llm-configs';
export type { FishbowlPersonality, FishbowlPersonalityLayout } from './personalities';
export { readFishbowlFile } from './read-file';
export { readFishbowlFolder } from './read-folder';
export type { FishbowlRole } from './roles';
export type { FishbowlFileInfo, FishbowlSettings } from './settings';
export { looksLikeFishbowl } from './shape';
export { fishbowlToBundle } from './to-bundle';
