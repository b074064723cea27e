/** What each Fishbowl settings file holds, by the key it takes in FishbowlSettings. */
export type FishbowlFileKind = 'personalities' | 'roles' | 'agents' | 'llmConfigs';

/** The settings files of Fishbowl's user-data folder, by kind. */
export const FISHBOWL_FILES: Readonly<Record<FishbowlFileKind, string>> = {
  personalities: 'personalities.json',
  roles: 'roles.json',
  agents: 'agents.json',
  llmConfigs: 'llm_config.json',
};

/** Every kind, in the order a folder is read (things referenced before what references them). */
export const FISHBOWL_FILE_KINDS: readonly FishbowlFileKind[] = ['llmConfigs', 'personalities', 'roles', 'agents'];

/** The kind a file name stands for, or null. */
export function fishbowlKindOfName(fileName: string): FishbowlFileKind | null {
  return FISHBOWL_FILE_KINDS.find((kind) => FISHBOWL_FILES[kind] === fileName) ?? null;
}
