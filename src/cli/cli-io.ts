import { MAX_FILE_BYTES } from '../storage/stored-file';
import type { IFileSystem } from '../storage/file-system';

/** What the command line reads from and writes to; a seam so tests can run it in-process. */
export interface CliIO {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  readStdin: () => Promise<string>;
  env: NodeJS.ProcessEnv;
  /** The file system the data folder is stored through (the real one unless a test injects faults). */
  fileSystem?: IFileSystem;
  /** Aborted once stdout can take no more (its reader went away), so a command that streams forever can stop. */
  stdoutClosed?: AbortSignal;
}

/** Standard streams of this process. */
export function processIO(): CliIO {
  const stdout = quietOnceClosed(process.stdout);
  return {
    stdout: stdout.write,
    stderr: quietOnceClosed(process.stderr).write,
    stdoutClosed: stdout.closed,
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

/** Stream errors that mean the reader went away (`agentcfg ... | head`): the rest of the output is not wanted. */
const READER_GONE = new Set(['EPIPE', 'ECONNRESET', 'ERR_STREAM_DESTROYED']);

/** Why stdout could not take the output when its reader was still there (a full disk under `> file`), if it could not. */
export function stdoutLost(io: CliIO): NodeJS.ErrnoException | undefined {
  if (!io.stdoutClosed?.aborted) return undefined;
  const reason = io.stdoutClosed.reason as NodeJS.ErrnoException;
  return READER_GONE.has(reason.code ?? '') ? undefined : reason;
}

/**
 * Writes to `stream` until it fails. A reader that went away (EPIPE, as `agentcfg list | head` does) or any
 * other stream error must not crash the command with a stack trace halfway through a change, so the error is
 * caught, later output is dropped and the command finishes (`closed` tells why, for the exit code and watch).
 */
function quietOnceClosed(stream: NodeJS.WriteStream): { write: (text: string) => void; closed: AbortSignal } {
  const closed = new AbortController();
  stream.on('error', (error) => closed.abort(error));
  return {
    write: (text) => {
      if (closed.signal.aborted || stream.destroyed) return;
      stream.write(text);
      // A failed write destroys the stream at once; its 'error' event only follows on a later tick.
      if (stream.errored) closed.abort(stream.errored);
    },
    closed: closed.signal,
  };
}
