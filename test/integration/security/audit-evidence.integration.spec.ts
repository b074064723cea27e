import { expect } from 'chai';
import { readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { auditHash } from '../../../src/audit/audit-entry';
import { auditLogPath, readAuditLines } from '../../support/audit-log';
import { seedValidRecords } from '../../support/coordination';
import { validRecords } from '../../support/records';
import { runCli } from '../../support/run-cli';
import { createTestContainer, describeFileStoreOnly, type TestContainer } from '../../support/test-container';

// The first three features are about the audit log's files (logs/audit.jsonl and its head): they edit, move and
// replace them by hand.
describeFileStoreOnly('Feature: tampering at the end of the audit log stays evident after later writes', function () {
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

describeFileStoreOnly('Feature: the audit log is kept open between appends, but every entry goes to the file at its path', function () {
  let env: TestContainer;

  beforeEach(async function () {
    env = await createTestContainer();
    await seedValidRecords(env.configuration);
  });

  afterEach(() => env.dispose());

  it('a log moved aside between two writes is left as it was; the next entry starts the chain again at the path, marked as tampering', async function () {
    const moved = join(env.dataDir, 'logs', 'audit.moved.jsonl');
    const before = await readFile(auditLogPath(env.dataDir), 'utf8');
    await rename(auditLogPath(env.dataDir), moved);
    await env.configuration.createRole({ ...validRecords().role, id: 'later', name: 'Later' });
    expect(await readFile(moved, 'utf8'), 'the moved log is not written to').to.equal(before);
    const lines = await readAuditLines(env.dataDir);
    const [first] = lines.map((l) => JSON.parse(l) as { seq: number; action: string });
    expect(first, 'the first entry at the path records the lines that went missing').to.include({ seq: 1, action: 'audit.tampered' });
    expect(lines.some((l) => l.includes('"role.create"') && l.includes('"later"')), 'the change is audited in the log at the path').to.equal(true);
  });

  it('a log replaced by another file between two writes gets the entry in the new file', async function () {
    const lines = await readAuditLines(env.dataDir);
    await writeFile(`${auditLogPath(env.dataDir)}.new`, `${lines.join('\n')}\n`);
    await rename(`${auditLogPath(env.dataDir)}.new`, auditLogPath(env.dataDir));
    await env.configuration.createRole({ ...validRecords().role, id: 'later', name: 'Later' });
    expect(await readAuditLines(env.dataDir)).to.have.length.greaterThan(lines.length);
    expect(await env.configuration.verifyAudit()).to.include({ ok: true });
  });
});

describeFileStoreOnly('Feature: the audit head is overwritten in place, and a torn one is not taken for tampering', function () {
  let env: TestContainer;
  const headPath = () => join(env.dataDir, 'logs', 'audit.head.json');

  beforeEach(async function () {
    env = await createTestContainer();
    await seedValidRecords(env.configuration);
  });

  afterEach(() => env.dispose());

  it('the head counts every line, at a fixed width; after a write shrinks nothing is left over from the one before', async function () {
    const first = await readFile(headPath(), 'utf8');
    const lines = await readAuditLines(env.dataDir);
    expect(JSON.parse(first)).to.include({ entries: lines.length, hash: (JSON.parse(lines.at(-1) as string) as { hash: string }).hash });
    await writeFile(headPath(), `${first}${' '.repeat(64)}`);
    await env.configuration.createRole({ ...validRecords().role, id: 'later', name: 'Later' });
    const second = await readFile(headPath(), 'utf8');
    expect(second.length).to.equal(first.length);
    expect(JSON.parse(second)).to.include({ entries: (await readAuditLines(env.dataDir)).length });
  });

  it('a head whose fields do not match its check (a torn overwrite) counts as absent: no false tampering, and the next write restores it', async function () {
    const head = JSON.parse(await readFile(headPath(), 'utf8')) as { entries: number; hash: string; check: string };
    await writeFile(headPath(), JSON.stringify({ ...head, entries: head.entries + 5 }));
    expect(await env.configuration.verifyAudit()).to.include({ ok: true, entries: head.entries });
    await env.configuration.createRole({ ...validRecords().role, id: 'later', name: 'Later' });
    const lines = await readAuditLines(env.dataDir);
    expect(JSON.parse(await readFile(headPath(), 'utf8'))).to.include({ entries: lines.length });
    await writeFile(auditLogPath(env.dataDir), `${lines.slice(0, -1).join('\n')}\n`);
    expect(await env.configuration.verifyAudit(), 'the restored head still finds lines cut off').to.include({ ok: false, badLine: lines.length });
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

    const all = await runCli([...env.cliStore, '--json', 'audit', 'list', '--actor', 'alice']);
    expect(all.code, all.stderr).to.equal(0);
    const listed = all.json<{ data: { actor: string }[] }>().data;
    expect(listed.map((e) => e.actor)).to.deep.equal(['alice', 'alice']);

    const narrowed = await runCli([...env.cliStore, '--json', 'audit', 'list', '--actor', 'alice', '--target', 'personality:p-alice', '--since', since]);
    expect(narrowed.code, narrowed.stderr).to.equal(0);
    expect(narrowed.json<{ data: { actor: string; action: string }[] }>().data.map((e) => [e.actor, e.action])).to.deep.equal([['alice', 'personality.update']]);
  });
});
