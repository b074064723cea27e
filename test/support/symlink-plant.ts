import { cp, mkdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { IConfigurationService } from '../../src/services/configuration/configuration-service';
import { decodeCollection, encodeCollection } from '../../src/storage/collection-file';
import { COLLECTION_SPECS } from '../../src/storage/collection-specs';
import type { SymlinkAttack } from './attack-catalogue';
import type { CliCall } from './hostile-input';
import { validRecords } from './records';
import { makeTempDir } from './test-container';

/** The name a planted record carries, which no answer may ever contain. */
export const PLANTED_NAME = 'Planted Outside';

/** A valid stored personality that exists only outside the data folder. */
export function plantedPersonality(id: string, version: number): Record<string, unknown> {
  const now = new Date().toISOString();
  return { ...validRecords().personality, id, name: PLANTED_NAME, isTemplate: false, version, createdAt: now, updatedAt: now };
}

/** A personalities.json that a reader would accept, holding the real records and one planted record. */
async function plantedCollection(realFile: string): Promise<string> {
  const spec = COLLECTION_SPECS.personality;
  const decoded = decodeCollection(await readFile(realFile, 'utf8'), spec);
  if (decoded.status === 'corrupt') throw new Error(`${realFile} is corrupt: ${decoded.reason}`);
  const { revision, items } = decoded.snapshot;
  return encodeCollection(spec, { revision: revision + 1, items: [...items, plantedPersonality('planted', 1)] });
}

/** Where a planted link leads. */
export interface PlantedLink {
  /** The outside folder holding the target. */
  outside: string;
  /** The link's target (it may not exist). */
  target: string;
}

/** Replaces the attack's file or folder in the data folder by a symlink to a target outside it. */
export async function plantLink(dataDir: string, workflowId: string, attack: SymlinkAttack): Promise<PlantedLink> {
  const linkPath = join(dataDir, attack.link.replace('{workflow}', workflowId));
  const outside = await makeTempDir('agentcfg-outside-');
  let target = join(outside, basename(linkPath));
  switch (attack.target) {
    case 'planted-collection':
      await writeFile(target, await plantedCollection(linkPath));
      break;
    case 'planted-history':
      await writeFile(target, `${await readFile(linkPath, 'utf8')}${JSON.stringify(plantedPersonality('spare-p', 99))}\n`);
      break;
    case 'copy':
      await cp(linkPath, target, { recursive: true });
      break;
    case 'copy-with-planted':
      await cp(linkPath, target, { recursive: true });
      await writeFile(join(target, 'personalities.json'), await plantedCollection(join(linkPath, 'personalities.json')));
      break;
    case 'text':
      await writeFile(target, 'outside the data folder: must stay exactly as it is\n');
      break;
    case 'empty-dir':
      await mkdir(target);
      break;
    case 'missing':
      target = join(outside, 'not-made-yet', basename(linkPath));
      break;
  }
  await rm(linkPath, { recursive: true, force: true });
  await symlink(target, linkPath);
  return { outside, target };
}

const newRoleWorkflow = {
  name: 'through-the-link',
  steps: [{ id: 'r', service: 'role', action: 'create', input: { ...validRecords().role, id: 'via-link' } }],
};

/** The library call of each operation a symlink case names. */
export const LIBRARY_OPERATIONS: Record<string, (configuration: IConfigurationService, workflowId: string) => Promise<unknown>> = {
  'list-personalities': (c) => c.getAllPersonalities(),
  'get-planted': (c) => c.getPersonality('planted'),
  'create-personality': (c) => c.createPersonality({ ...validRecords().personality, id: 'newcomer' }),
  'update-personality': (c) => c.updatePersonality('spare-p', { description: 'changed' }),
  'personality-history': (c) => c.recordHistory('personality', 'spare-p'),
  'create-role': (c) => c.createRole({ ...validRecords().role, id: 'newcomer-role' }),
  'list-workflows': (c) => c.listWorkflows(),
  'show-workflow': (c, id) => c.getWorkflow(id),
  'run-workflow': (c) => c.runWorkflow(newRoleWorkflow),
  init: (c) => c.initialize(),
  compact: (c) => c.compact(),
};

/** The command line of each operation a symlink case names. */
export const CLI_OPERATIONS: Record<string, (workflowId: string) => CliCall> = {
  'list-personalities': () => ({ args: ['personality', 'list'] }),
  'get-planted': () => ({ args: ['personality', 'get', 'planted'] }),
  'create-personality': () => ({ args: ['personality', 'create', '--file', '-'], stdin: JSON.stringify({ ...validRecords().personality, id: 'newcomer' }) }),
  'update-personality': () => ({ args: ['personality', 'update', 'spare-p', '--file', '-'], stdin: '{"description":"changed"}' }),
  'personality-history': () => ({ args: ['personality', 'history', 'spare-p'] }),
  'create-role': () => ({ args: ['role', 'create', '--file', '-'], stdin: JSON.stringify({ ...validRecords().role, id: 'newcomer-role' }) }),
  'list-workflows': () => ({ args: ['workflow', 'list'] }),
  'show-workflow': (id) => ({ args: ['workflow', 'show', id] }),
  'run-workflow': () => ({ args: ['workflow', 'run', '-'], stdin: JSON.stringify(newRoleWorkflow) }),
  init: () => ({ args: ['init'] }),
};
