import { access, mkdtemp, rm } from 'node:fs/promises';
import { constants } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const made: string[] = [];
let base: Promise<string> | undefined;

/** RELIABILITY_TMPDIR, else /dev/shm when writable (tmpfs: fsync costs nothing), else the OS temp folder. */
async function baseDir(): Promise<string> {
  const wanted = process.env.RELIABILITY_TMPDIR;
  if (wanted) return wanted;
  try {
    await access('/dev/shm', constants.W_OK);
    return '/dev/shm';
  } catch {
    return tmpdir();
  }
}

/**
 * A temp folder for tests of logic rather than of the disk (the model-based test and the fuzzing), where
 * thousands of fsyncs would otherwise dominate the run. Removed by `removeFastTempDirs`.
 */
export async function makeFastTempDir(prefix: string): Promise<string> {
  const dir = await mkdtemp(join(await (base ??= baseDir()), prefix));
  made.push(dir);
  return dir;
}

/** Removes every folder `makeFastTempDir` made. */
export async function removeFastTempDirs(): Promise<void> {
  await Promise.all(made.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
}
