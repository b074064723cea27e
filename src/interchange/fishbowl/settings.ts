import type { FishbowlAgent } from './agents';
import type { FishbowlFileKind } from './files';
import type { FishbowlLlmConfig } from './llm-configs';
import type { FishbowlPersonality } from './personalities';
import type { FishbowlRole } from './roles';

/** One settings file that was read: its kind, where it came from, and its file-level fields. */
export interface FishbowlFileInfo {
  kind: FishbowlFileKind;
  /** The path or name it was read from. */
  source: string;
  /** The file's schemaVersion (llm_config.json has none). */
  schemaVersion?: string;
  lastUpdated?: string;
  /** File-level fields this reader does not know, kept as they were. */
  extra: Record<string, unknown>;
}

/** What a Fishbowl settings folder holds: each kind is empty when its file was absent (see `files`). */
export interface FishbowlSettings {
  personalities: FishbowlPersonality[];
  roles: FishbowlRole[];
  agents: FishbowlAgent[];
  llmConfigs: FishbowlLlmConfig[];
  /** The files that were read, in reading order. */
  files: FishbowlFileInfo[];
}
