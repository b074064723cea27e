import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hashTree } from '../../support/disk';
import { validRecords } from '../../support/records';
import { CLI_BIN, runCli } from '../../support/run-cli';

/** How a pipeline of `agentcfg <args> | reader` ended: agentcfg's own exit status and what it printed on stderr. */
interface PipelineRun {
  status: number;
  stderr: string;
}

/**
 * `agentcfg` writes its stdout (or, with `stream: 'stderr'`, its stderr) into a real pipe whose reader has closed
 * its end before agentcfg starts, so the first write meets EPIPE every time. The reader closes its end and then
 * leaves a mark; agentcfg starts only once the mark is there. agentcfg's exit status goes out on fd 3.
 */
const READER_GONE_FIRST = `
  exec 3>&2
  { until [ -e "$GONE" ]; do sleep 0.01; done
    if [ "$STREAM" = stderr ]; then "$NODE" "$BIN" "$@" 2>&1 >/dev/null 3>&-; else "$NODE" "$BIN" "$@" 3>&-; fi
    echo "agentcfg-exit=$?" >&3
  } | { exec 0<&-; : > "$GONE"; }`;

/** `agentcfg <args> | { head -n 1; }`: the reader takes the first line, closes its end and leaves a mark. */
const READER_TAKES_ONE_LINE = `
  exec 3>&2
  { "$NODE" "$BIN" "$@" 3>&-; echo "agentcfg-exit=$?" >&3; } | { head -n 1 >/dev/null; exec 0<&-; : > "$GONE"; }`;

/** `agentcfg <args> > /dev/full`: every write to stdout fails with ENOSPC, while nobody has left. */
const OUTPUT_TO_FULL_DISK = `
  exec 3>&2
  "$NODE" "$BIN" "$@" >/dev/full 3>&-; echo "agentcfg-exit=$?" >&3`;

/** Pipelines still running, ended after each test (a watch that did not stop would otherwise outlive the run). */
const running = new Set<number>();

function pipeline(script: string, args: readonly string[], gone: string, stream: 'stdout' | 'stderr' = 'stdout'): { ended: Promise<PipelineRun> } {
  const env: NodeJS.ProcessEnv = { ...process.env, NODE: process.execPath, BIN: CLI_BIN, GONE: gone, STREAM: stream };
  delete env.AGENTCFG_DIR; // never let the caller's own data folder leak in
  const child = spawn('bash', ['-c', script, 'bash', ...args], { env, stdio: ['ignore', 'ignore', 'pipe'], detached: true });
  const group = child.pid as number;
  running.add(group);
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const ended = new Promise<PipelineRun>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', () => {
      running.delete(group);
      const status = /agentcfg-exit=(\d+)/.exec(stderr);
      if (!status) return reject(new Error(`the pipeline did not report agentcfg's exit status; stderr:\n${stderr}`));
      resolve({ status: Number(status[1]), stderr: stderr.replace(/agentcfg-exit=\d+\n?/, '') });
    });
  });
  return { ended };
}

/** No trace of Node's report of an unhandled stream error. */
function expectNoStackTrace(run: PipelineRun): void {
  expect(run.stderr).not.to.match(/^ {4}at /m);
  expect(run.stderr).not.to.include('EPIPE');
  expect(run.stderr).not.to.include("Unhandled 'error' event");
  expect(run.stderr).not.to.include('Error: write');
}

async function until(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`gave up after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('Feature: a reader that closes the pipe early ends the command quietly, as `git log | head` does', function () {
  let root: string;
  let dir: string; // the data folder
  let gone: string; // the reader's mark, beside the data folder

  beforeEach(async function () {
    root = mkdtempSync(join(tmpdir(), 'agentcfg-closed-pipe-'));
    dir = join(root, 'data');
    gone = join(root, 'reader-gone');
    const init = await runCli(['--dir', dir, 'init']);
    expect(init.code, init.stderr).to.equal(0);
  });

  afterEach(function () {
    for (const group of running) {
      try {
        process.kill(-group, 'SIGKILL'); // its own process group: bash, agentcfg and the reader
      } catch {
        // already gone
      }
    }
    running.clear();
    rmSync(root, { recursive: true, force: true });
  });

  for (const args of [['--help'], ['personality', 'list'], ['personality', 'list', '--json'], ['audit', 'list']]) {
    it(`\`agentcfg ${args.join(' ')}\` into a pipe nobody reads exits 0, without a stack trace`, async function () {
      const run = await pipeline(READER_GONE_FIRST, args[0] === '--help' ? args : ['--dir', dir, ...args], gone).ended;
      expectNoStackTrace(run);
      expect(run.status, run.stderr).to.equal(0);
    });
  }

  it('a list whose reader went away leaves the data folder exactly as it was', async function () {
    const before = await hashTree(dir);
    for (let i = 0; i < 3; i++) {
      rmSync(gone, { force: true });
      const run = await pipeline(READER_GONE_FIRST, ['--dir', dir, 'personality', 'list'], gone).ended;
      expectNoStackTrace(run);
      expect(run.status, run.stderr).to.equal(0);
    }
    expect(await hashTree(dir)).to.deep.equal(before);
  });

  it('a closed stderr keeps the command its own exit code (2 for a usage error), not 1', async function () {
    const run = await pipeline(READER_GONE_FIRST, ['--dir', dir, 'frobnicate'], gone, 'stderr').ended;
    expect(run.status, run.stderr).to.equal(2);
  });

  it('output lost to a full disk is not passed off as success: one line on stderr, exit 11, no stack trace', async function () {
    const run = await pipeline(OUTPUT_TO_FULL_DISK, ['--dir', dir, 'personality', 'list'], gone).ended;
    expect(run.stderr.trim()).to.match(/^agentcfg: the output could not be written: cannot write the output: the disk is full \(ENOSPC\)/);
    expect(run.stderr.trim().split('\n')).to.have.length(1);
    expect(run.status).to.equal(11);
  });

  it('`agentcfg watch` into a pipe nobody reads stops at once and exits 0', async function () {
    const run = await pipeline(READER_GONE_FIRST, ['--dir', dir, 'watch'], gone).ended;
    expectNoStackTrace(run);
    expect(run.status, run.stderr).to.equal(0);
  });

  it('`agentcfg watch | head -n 1` stops streaming at the next change after the reader left, and exits 0', async function () {
    const watch = pipeline(READER_TAKES_ONE_LINE, ['--dir', dir, 'watch'], gone);
    await until(() => existsSync(gone), 20_000); // the reader has taken the "Watching" line and closed its end
    const file = join(root, 'personality.json');
    writeFileSync(file, JSON.stringify(validRecords().personality));
    const created = await runCli(['--dir', dir, 'personality', 'create', '--file', file]);
    expect(created.code, created.stderr).to.equal(0);
    const run = await watch.ended;
    expectNoStackTrace(run);
    expect(run.status, run.stderr).to.equal(0);
  });
});
