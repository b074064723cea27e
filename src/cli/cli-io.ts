import { MAX_FILE_BYTES } from '../storage/stored-file';

/** What the command line reads from and writes to; a seam so tests can run it in-process. */
export interface CliIO {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  readStdin: () => Promise<string>;
  env: NodeJS.ProcessEnv;
}

/** Standard streams of this process. */
export function processIO(): CliIO {
  return {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    readStdin: async () => {
      const chunks: Buffer[] = [];
      let total = 0;
      for await (const chunk of process.stdin) {
        chunks.push(chunk as Buffer);
        total += (chunk as Buffer).length;
        // One byte past the limit is enough for the reader to refuse it; the rest is never held in memory.
        if (total > MAX_FILE_BYTES) break;
      }
      return Buffer.concat(chunks).toString('utf8');
    },
    env: process.env,
  };
}
