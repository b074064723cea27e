import { expect } from 'chai';
import { writeFile } from 'node:fs/promises';
import { auditHash } from '../../../src/audit/audit-entry';
import { auditLogPath, readAuditLines } from '../../support/audit-log';
import { seedValidRecords } from '../../support/coordination';
import { validRecords } from '../../support/records';
import { runCli } from '../../support/run-cli';
import { createTestContainer, type TestContainer } from '../../support/test-container';

describe('Feature: tampering at the end of the audit log stays evident after later writes', function () {
  let env: TestContainer;
  let lines: string[];

  beforeEach(async function () {
    env = await createTestContainer();
    await seedValidRecords(env.configuration);
    lines = await readAuditLines(env.dataDir);
  });

  afterEach(() => env.dispose());

  /** Tampers with the log, checks verify names `badLine`, makes a change, and checks it still does. */
  async function stillFoundAfterAWrite(tampered: string, badLine: number): Promise<void> {
    await writeFile(auditLogPath(env.dataDir), tampered);
    expect(await env.configuration.verifyAudit()).to.include({ ok: false, badLine });
    await env.configuration.createRole({ ...validRecords().role, id: 'later', name: 'Later' });
    expect(await env.configuration.verifyAudit(), 'after the next audited change').to.include({ ok: false, badLine });
    const entries = await env.configuration.auditEntries();
    expect(entries.some((e) => e.action === 'role.create' && e.target?.id === 'later'), 'the change was made and audited').to.equal(true);
  }

  it('lines cut off the end', async function () {
    await stillFoundAfterAWrite(`${lines.slice(0, -2).join('\n')}\n`, lines.length - 1);
  });

  it('a last line cut short', async function () {
    await stillFoundAfterAWrite([...lines.slice(0, -1), (lines.at(-1) as string).slice(0, 40)].join('\n'), lines.length);
  });

  it('a last line edited and re-hashed', async function () {
    const last = JSON.parse(lines.at(-1) as string) as Record<string, unknown>;
    last.actor = 'mallory';
    last.hash = auditHash(last as never);
    await stillFoundAfterAWrite(`${[...lines.slice(0, -1), JSON.stringify(last)].join('\n')}\n`, lines.length);
  });

  it('a line torn by a killed process (not yet counted by the head) is cut off, and the log verifies clean', async function () {
    await writeFile(auditLogPath(env.dataDir), `${lines.join('\n')}\n{"seq":${lines.length + 1},"at":"2026-`);
    await env.configuration.createRole({ ...validRecords().role, id: 'later', name: 'Later' });
    expect(await env.configuration.verifyAudit()).to.include({ ok: true, entries: lines.length + 1 });
  });
});

describe('Feature: `audit list` filters on the command line', function () {
  it('--actor filters by actor (with --target and --since), as the issue spells it', async function () {
    const env = await createTestContainer();
    const valid = validRecords();
    const alice = env.configuration.as({ actor: 'alice', role: 'editor' });
    const bob = env.configuration.as({ actor: 'bob', role: 'editor' });
    await alice.createPersonality({ ...valid.personality, id: 'p-alice', name: 'Alice P' });
    await new Promise((resolve) => setTimeout(resolve, 5));
    const since = new Date().toISOString();
    await new Promise((resolve) => setTimeout(resolve, 5));
    await alice.updatePersonality('p-alice', { humor: 2 });
    await bob.updatePersonality('p-alice', { humor: 3 });

    const all = await runCli(['--dir', env.dataDir, '--json', 'audit', 'list', '--actor', 'alice']);
    expect(all.code, all.stderr).to.equal(0);
    const listed = all.json<{ data: { actor: string }[] }>().data;
    expect(listed.map((e) => e.actor)).to.deep.equal(['alice', 'alice']);

    const narrowed = await runCli(['--dir', env.dataDir, '--json', 'audit', 'list', '--actor', 'alice', '--target', 'personality:p-alice', '--since', since]);
    expect(narrowed.code, narrowed.stderr).to.equal(0);
    expect(narrowed.json<{ data: { actor: string; action: string }[] }>().data.map((e) => [e.actor, e.action])).to.deep.equal([['alice', 'personality.update']]);
  });
});
