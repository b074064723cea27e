import { expect } from 'chai';
import { spawn, type ChildProcess } from 'node:child_process';
import { CLI_BIN } from '../../support/run-cli';
import { createTestContainer, type TestContainer } from '../../support/test-container';
import { send } from './api-client';

/** `agentcfg serve` running as a child process: its first stdout line, and its exit. */
function serve(args: string[]): Promise<{ child: ChildProcess; first: string; stderr: () => string; exited: Promise<number | null> }> {
  const child = spawn(process.execPath, [CLI_BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, AGENTCFG_ACTOR: 'operator' } });
  let stdout = '';
  let stderr = '';
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
  return new Promise((resolve, reject) => {
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.stdout!.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
      const line = stdout.split('\n')[0];
      if (stdout.includes('\n') && line !== undefined) resolve({ child, first: line, stderr: () => stderr, exited });
    });
    void exited.then((code) => reject(new Error(`serve exited (${code}) before printing: ${stderr}`)));
  });
}

describe('Feature: `agentcfg serve` serves the API over --dir or --store until SIGTERM', function () {
  let tc: TestContainer;
  beforeEach(async function () {
    tc = await createTestContainer();
  });
  afterEach(async function () {
    await tc.dispose();
  });

  it('--port 0 picks a free port and prints it with a one-time login link; a token made elsewhere works; SIGTERM stops it cleanly', async function () {
    const { secret } = await tc.configuration.createToken({ name: 'serve-test', access: 'viewer' });
    const running = await serve([...tc.cliStore, '--json', 'serve', '--port', '0']);
    const { data } = JSON.parse(running.first) as { data: { url: string; port: number; login: string } };
    expect(data.port).to.be.a('number').and.greaterThan(0);
    expect(data.url).to.equal(`http://127.0.0.1:${data.port}`);
    expect(data.login).to.match(new RegExp(`^http://127\\.0\\.0\\.1:${data.port}/login#[\\w-]{43}$`));
    const roles = await send(data.url, '/api/v1/roles', { token: secret });
    expect(roles.status).to.equal(200);
    expect(roles.body.data.map((r: { id: string }) => r.id)).to.include('technical-advisor');
    const login = await send(data.url, '/api/v1/session', { method: 'POST', body: { code: data.login.split('#')[1] } });
    expect(login.body.data).to.deep.equal({ actor: 'operator', access: 'admin' });
    expect(running.stderr()).not.to.include('warning');
    running.child.kill('SIGTERM');
    expect(await running.exited).to.equal(0);
    await send(data.url, '/api/v1/roles', { token: secret }).then(
      () => expect.fail('the server still answers after SIGTERM'),
      (error: NodeJS.ErrnoException) => expect(error.code).to.equal('ECONNREFUSED'),
    );
  });

  it('refuses a bad --port as a usage error', async function () {
    const child = spawn(process.execPath, [CLI_BIN, ...tc.cliStore, 'serve', '--port', '70000'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(code).to.equal(2);
    expect(stderr).to.include('must be a port number');
  });
});
