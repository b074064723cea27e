import { promises as fsp } from 'node:fs';
import { join } from 'node:path';
import { createConfigurationService, createContainer, IConfigurationService, IFileService, type Personality } from '../../dist/index';
import type { Contender } from '../contender';
import { CountingFileSystem, type IoCounts } from '../counting-file-system';
import { ServiceContender } from './service-contender';

/**
 * agentcfg through its public API: every change durable, locked, journaled and audited. Its storage goes through
 * a counting wrapper of the node file system (the `fileSystem` storage option), so the bench can say how many
 * file-system calls and syncs a workflow makes.
 */
export class AgentcfgContender extends ServiceContender implements Contender {
  private readonly counting = new CountingFileSystem();

  protected open(location: string): Promise<IConfigurationService> {
    return createConfigurationService({ dataDir: location, fileSystem: this.counting.fileSystem });
  }

  ioCounts(): IoCounts {
    return this.counting.snapshot();
  }

  async fill(dir: string, personalities: readonly Personality[]): Promise<void> {
    this.location = dir;
    // One write of the whole collection through the library's own storage code, instead of N workflows.
    const container = createContainer({ dataDir: dir });
    const config = container.get<IConfigurationService>(IConfigurationService);
    await config.initialize();
    const files = container.get<IFileService>(IFileService);
    await files.transaction(
      async (tx) => {
        const current = await tx.read('personality');
        await tx.write('personality', [...current.items, ...personalities]);
      },
      { context: config.issueContext() },
    );
  }

  /**
   * The personalities' change log is due to be folded at 64 changes (the write that finds it so starts a
   * compaction in the background and goes on appending): both cases start from a compacted folder (an empty
   * log); `due` then brings the log to 64 lines by updating one personality.
   */
  async prepareFold(due: boolean): Promise<boolean> {
    const folds = 64;
    await this.opened().compact();
    const updates = due ? folds : 0;
    for (let i = 0; i < updates; i++) await this.opened().updatePersonality('p-0', { humor: i % 101 });
    const now = await this.changeLogLines();
    if (now !== updates) throw new Error(`the change log has ${now} lines, not ${updates}: its folding is not what the bench expects`);
    return true;
  }

  private async changeLogLines(): Promise<number> {
    const text = await fsp.readFile(join(this.location, 'config', 'personalities.changes.jsonl'), 'utf8').catch(() => '');
    return text.split('\n').filter((line) => line !== '').length;
  }

  /** A clean shutdown: the change logs folded into the files (not measured), so nothing is left to do in the background. */
  async close(): Promise<void> {
    await this.config?.compact();
    this.config = undefined;
  }
}
