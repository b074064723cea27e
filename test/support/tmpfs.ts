import { execFileSync } from 'node:child_process';

/**
 * A tmpfs mounted on `dir` of `sizeKb` KiB: a real file system that really fills up and can really be made
 * read-only. Needs root; returns why mounting was refused (as `mount` said it), or null once mounted.
 */
export function mountTmpfs(dir: string, sizeKb: number): string | null {
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${sizeKb}k,mode=0755`, 'tmpfs', dir], { stdio: 'pipe' });
    return null;
  } catch (error) {
    const stderr = (error as { stderr?: Buffer }).stderr?.toString().trim();
    return stderr || (error as Error).message;
  }
}

/** Makes a mounted tmpfs read-only, as a configuration folder mounted read-only into a container is. */
export function remountReadOnly(dir: string): void {
  execFileSync('mount', ['-o', 'remount,ro', dir], { stdio: 'pipe' });
}

/** Unmounts a tmpfs (lazily, so a file a test left open cannot keep it). */
export function unmount(dir: string): void {
  execFileSync('umount', ['-l', dir], { stdio: 'pipe' });
}
