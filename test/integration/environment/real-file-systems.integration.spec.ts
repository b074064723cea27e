import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { closeSync, openSync, rmSync, statfsSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { ExitCode } from '../../../src/cli/exit-codes';
import { runCliInProcess } from '../../support/run-cli-in-process';
import { CLI_BIN, runCli as runBinary, type CliRun } from '../../support/run-cli';
import { hashTree } from '../../support/disk';
import { makeTempDir } from '../../support/test-container';
import { agentWithDependencies, validRecords } from '../../support/records';
import { mountTmpfs, remountReadOnly, unmount } from '../../support/tmpfs';
import { leftoversIn } from '../../support/leftovers';

/** The command line in this process (the real file system). */
function cli(args: readonly string[], stdin = ''): Promise<CliRun> {
  return runCliInProcess(args, { stdin, env: { AGENTCFG_ACTOR: 'tester' } });
}

function ok(run: CliRun, what: string): CliRun {
  expect(run.code, `${what}\n${run.stdout}${run.stderr}`).to.equal(0);
  return run;
}

/** Fills the file system holding `dir` until only about `slack` bytes are free; returns the filler to remove. */
function fillUpTo(dir: string, slack: number): string {
  const filler = join(dir, `filler-${slack}`);
  const fd = openSync(filler, 'w');
  const chunk = Buffer.alloc(4096);
  try {
    for (;;) {
      const { bavail, bsize } = statfsSync(dir);
      if (bavail * bsize <= slack) break;
      writeSync(fd, chunk, 0, Math.min(chunk.length, bavail * bsize - slack));
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
  } finally {
    closeSync(fd);
  }
  return filler;
}

/** Ids present of `ids`, as a reader sees them. */
async function present(dataDir: string, kind: string, ids: readonly string[]): Promise<string[]> {
  const listed = ok(await cli(['--dir', dataDir, kind, 'list', '--json']), `${kind} list`).json<{ data: { id: string }[] }>().data;
  return ids.filter((id) => listed.some((r) => r.id === id));
}

describe('On real file systems: one that fills up, and one mounted read-only (tmpfs)', function () {
  this.timeout(300_000);
  let mount: string;
  let refused: string | null;

  beforeEach(async function () {
    mount = await makeTempDir('agentcfg-tmpfs-');
    refused = mountTmpfs(mount, 4096);
  });

  afterEach(function () {
    if (refused === null) unmount(mount);
  });

  /** Mounting needs root: where it is refused, the case is skipped with the reason printed (and only then). */
  function needsMount(context: Mocha.Context): void {
    if (refused === null) return;
    console.log(`      skipped: this machine refuses to mount a tmpfs (${refused})`);
    context.skip();
  }

  it('a full disk: workflows and updates exit 0 or 11 naming it, never half; reads still work; freed space lets the next change through', async function () {
    needsMount(this);
    const dataDir = join(mount, 'data');
    ok(await cli(['--dir', dataDir, 'init']), 'init');
    ok(await cli(['--dir', dataDir, 'personality', 'create', '--file', '-'], JSON.stringify({ ...validRecords().personality, id: 'mentor' })), 'create mentor');
    const seen = { refused: 0, made: 0 };
    // From no room at all to room for a little: the fault lands on each part of a workflow in turn.
    for (let slack = 0; slack <= 320 * 1024; slack += 16 * 1024) {
      const filler = fillUpTo(mount, slack);
      const ids = agentWithDependencies(`s${slack}`);
      const run = await cli(['--dir', dataDir, 'agent', 'create-with', '--file', '-'], JSON.stringify(ids));
      const where = `${slack} bytes free: exit ${run.code}\n${run.stderr}`;
      expect(run.code, where).to.be.oneOf([ExitCode.OK, ExitCode.STORAGE_UNAVAILABLE]);
      expect(run.stderr, where).not.to.match(/INTERNAL_ERROR|\n\s+at /);
      if (run.code === ExitCode.STORAGE_UNAVAILABLE) expect(run.stderr, where).to.include('the disk is').and.include('nothing was changed');
      // Reads work on the full disk, and see all three records or none.
      const made = [
        ...(await present(dataDir, 'personality', [ids.personality.id])),
        ...(await present(dataDir, 'role', [ids.role.id])),
        ...(await present(dataDir, 'agent', [ids.agent.id])),
      ];
      expect(made.length, `all or nothing: ${where}`).to.be.oneOf([0, 3]);
      expect(made.length === 3, where).to.equal(run.code === ExitCode.OK);
      seen[made.length === 3 ? 'made' : 'refused']++;
      const update = await cli(['--dir', dataDir, 'personality', 'update', 'mentor', '--file', '-'], JSON.stringify({ humor: slack % 101 }));
      expect(update.code, `update with ${where}\n${update.stderr}`).to.be.oneOf([ExitCode.OK, ExitCode.STORAGE_UNAVAILABLE]);
      expect(update.stderr).not.to.match(/INTERNAL_ERROR|locked by/);
      ok(await cli(['--dir', dataDir, 'verify']), `verify on the full disk, ${where}`);
      expect(leftoversIn(dataDir), `nothing left behind, ${where}`).to.deep.equal([]);
      rmSync(filler);
    }
    expect(seen.refused, 'the disk was full for some').to.be.greaterThan(0);
    expect(seen.made, 'and had room for others').to.be.greaterThan(0);
    // With room again, the next change goes through at once.
    ok(await cli(['--dir', dataDir, 'personality', 'create', '--file', '-'], JSON.stringify({ ...validRecords().personality, id: 'after' })), 'create with room');
    ok(await cli(['--dir', dataDir, 'verify']), 'verify');
  });

  it('a full disk fails a change with one message and no stale lock, and warns at most once about unfolded change logs', async function () {
    needsMount(this);
    const dataDir = join(mount, 'data');
    ok(await cli(['--dir', dataDir, 'init']), 'init');
    // Large enough (over 256 KiB) that changes go to a change log, folded into the file at the end of a command.
    const body = { ...validRecords().personality, description: 'x'.repeat(1800) };
    for (let i = 0; i < 160; i++) ok(await cli(['--dir', dataDir, 'personality', 'create', '--file', '-'], JSON.stringify({ ...body, id: `p${i}`, name: `P${i}` })), `create p${i}`);
    const filler = fillUpTo(mount, 6 * 1024);
    const runs: CliRun[] = [];
    for (let i = 0; i < 6; i++) runs.push(await cli(['--dir', dataDir, 'personality', 'create', '--file', '-'], JSON.stringify({ ...body, id: `q${i}`, name: `Q${i}` })));
    const failed = runs.filter((r) => r.code !== ExitCode.OK);
    expect(failed.length, 'the disk filled').to.be.greaterThan(0);
    for (const run of runs) {
      expect(run.code, run.stderr).to.be.oneOf([ExitCode.OK, ExitCode.STORAGE_UNAVAILABLE]);
      expect(run.stderr).not.to.match(/INTERNAL_ERROR|locked by|\n\s+at /);
      expect(run.stderr.match(/change logs were not folded/g)?.length ?? 0, run.stderr).to.be.at.most(1);
    }
    expect(failed[0]?.stderr).to.match(/STORAGE_UNAVAILABLE: .*the disk is full \(ENOSPC\)/);
    const list = ok(await cli(['--dir', dataDir, 'personality', 'list']), 'list on the full disk');
    expect(list.stderr.match(/change logs were not folded/g)?.length ?? 0, list.stderr).to.be.at.most(1);
    expect(leftoversIn(dataDir)).to.deep.equal([]);
    rmSync(filler);
    ok(await cli(['--dir', dataDir, 'personality', 'create', '--file', '-'], JSON.stringify({ ...body, id: 'room', name: 'Room' })), 'create with room again');
    ok(await cli(['--dir', dataDir, 'verify']), 'verify');
  });

  describe('a data folder on read-only media', function () {
    let dataDir: string;
    let agentId: string;
    let workflowId: string;
    const readCommands: string[][] = [];

    beforeEach(async function () {
      if (refused !== null) return;
      dataDir = join(mount, 'data');
      // Made by the binary, whose process ends with its files closed: a file left open for writing keeps a mount
      // from being made read-only.
      ok(await runBinary(['--dir', dataDir, 'init']), 'init');
      const made = ok(await runBinary(['--dir', dataDir, 'agent', 'create-with', '--file', '-', '--json'], { stdin: JSON.stringify(agentWithDependencies('ro')) }), 'create-with').json<{ data: { agent: { id: string }; workflowId: string } }>();
      agentId = made.data.agent.id;
      workflowId = made.data.workflowId;
      ok(await runBinary(['--dir', dataDir, 'personality', 'update', 'ro-p', '--file', '-'], { stdin: JSON.stringify({ humor: 12 }) }), 'update');
      readCommands.splice(
        0,
        readCommands.length,
        ['personality', 'list'],
        ['role', 'list', '--json'],
        ['agent', 'list'],
        ['personality', 'get', 'ro-p', '--json'],
        ['agent', 'get', agentId],
        ['agent', 'resolve', agentId],
        ['personality', 'history', 'ro-p', '--json'],
        ['export'],
        ['verify'],
        ['audit', 'list', '--json'],
        ['audit', 'verify'],
        ['workflow', 'list'],
        ['workflow', 'show', workflowId, '--json'],
      );
    });

    it('every read command exits 0 with the output it gives on a writable folder, and one warning at most', async function () {
      needsMount(this);
      const expected = new Map<string, string>();
      for (const args of readCommands) expected.set(args.join(' '), ok(await runBinary(['--dir', dataDir, ...args]), args.join(' ')).stdout);
      remountReadOnly(mount);
      const before = await hashTree(dataDir);
      for (const args of readCommands) {
        const run = ok(await cli(['--dir', dataDir, ...args]), `${args.join(' ')} on read-only media`);
        // The audit list and export carry times of their own making; the rest is the same, byte for byte.
        if (args[0] === 'export') expect(JSON.parse(run.stdout).agents).to.deep.equal(JSON.parse(expected.get('export') as string).agents);
        else expect(run.stdout, args.join(' ')).to.equal(expected.get(args.join(' ')));
        expect(run.stderr.split('\n').filter((l) => l.startsWith('agentcfg: warning')).length, run.stderr).to.be.at.most(1);
        expect(run.stderr).not.to.match(/INTERNAL_ERROR|EROFS: read-only file system, open/);
      }
      expect(await hashTree(dataDir), 'the folder is byte-identical').to.deep.equal(before);
    });

    it('watch starts and streams on read-only media', async function () {
      needsMount(this);
      remountReadOnly(mount);
      const child = spawn(process.execPath, [CLI_BIN, '--dir', dataDir, 'watch'], { stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
      child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
      const code = await new Promise<number | null>((resolve) => {
        const started = Date.now();
        const poll = setInterval(() => {
          if (stdout.includes('Watching') || Date.now() - started > 20_000) {
            clearInterval(poll);
            child.kill('SIGINT');
          }
        }, 50);
        child.on('close', resolve);
      });
      expect(stdout, stderr).to.include(`Watching ${dataDir}`);
      expect(code, stderr).to.equal(0);
    });

    it('every write command exits 11 naming the read-only file system, and leaves the folder byte-identical', async function () {
      needsMount(this);
      remountReadOnly(mount);
      const before = await hashTree(dataDir);
      const writes: [string[], string][] = [
        [['personality', 'create', '--file', '-'], JSON.stringify({ ...validRecords().personality, id: 'new' })],
        [['personality', 'update', 'ro-p', '--file', '-'], JSON.stringify({ humor: 99 })],
        [['agent', 'delete', agentId], ''],
        [['personality', 'restore', 'ro-p', '--version', '1'], ''],
        [['agent', 'create-with', '--file', '-'], JSON.stringify(agentWithDependencies('w'))],
        [['personality', 'delete', 'ro-p', '--cascade'], ''],
        [['import', '-'], JSON.stringify({ schemaVersion: 1, personalities: [{ ...validRecords().personality, id: 'imported' }], roles: [], agents: [] })],
        [['workflow', 'run', '-'], JSON.stringify({ name: 'w', steps: [{ id: 'p', service: 'personality', action: 'create', input: { ...validRecords().personality, id: 'wf' } }] })],
      ];
      for (const [args, stdin] of writes) {
        const run = await cli(['--dir', dataDir, ...args], stdin);
        expect(run.code, `${args.join(' ')}\n${run.stdout}${run.stderr}`).to.equal(ExitCode.STORAGE_UNAVAILABLE);
        expect(run.stderr).to.include('STORAGE_UNAVAILABLE').and.include('read-only').and.include('nothing was changed');
        expect(await hashTree(dataDir), `${args.join(' ')} leaves the folder byte-identical`).to.deep.equal(before);
      }
    });
  });
});
