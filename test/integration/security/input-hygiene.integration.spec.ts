import { expect } from 'chai';
import { existsSync } from 'node:fs';
import { appendFile, readFile, rm, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import sinon from 'sinon';
import { exitCodeFor } from '../../../src/cli/exit-codes';
import { createContainer } from '../../../src/di/container';
import type { AgentcfgError, ErrorDetail } from '../../../src/domain/errors/agentcfg-error';
import type { ErrorCode } from '../../../src/domain/errors/error-code';
import { personalityCreateSchema } from '../../../src/domain/personality/personality';
import { roleCreateSchema } from '../../../src/domain/role/role';
import { PERSONALITY_TEMPLATES } from '../../../src/domain/templates/personality-templates';
import { ROLE_TEMPLATES } from '../../../src/domain/templates/role-templates';
import { parseInput } from '../../../src/domain/validation/parse-input';
import { findTextProblems } from '../../../src/domain/validation/text-hygiene';
import { IConfigurationService } from '../../../src/services/configuration/configuration-service';
import { JsonFileService } from '../../../src/storage/file/json-file-service';
import { MAX_FILE_BYTES } from '../../../src/storage/stored-file';
import { entryChecksum } from '../../../src/domain/workflow/journal-entry';
import { JournalStore } from '../../../src/storage/file/journal-store';
import { nodeFileSystem } from '../../../src/storage/file-system';
import { loadAttackCatalogue, type InputAttack } from '../../support/attack-catalogue';
import { hashTree } from '../../support/disk';
import { idCommand, inputCommand, sendInput, useId } from '../../support/hostile-input';
import { readJournal } from '../../support/journals';
import { validRecords } from '../../support/records';
import { runCli, type CliRun } from '../../support/run-cli';
import { runCliInProcess } from '../../support/run-cli-in-process';
import { CLI_OPERATIONS, LIBRARY_OPERATIONS, PLANTED_NAME, plantedPersonality, plantLink } from '../../support/symlink-plant';
import { storeContents } from '../../support/store-state';
import { createTestContainer, describeFileStoreOnly, makeTempDir, type TestContainer } from '../../support/test-container';

const catalogue = loadAttackCatalogue();
const STACK_LINE = /^\s+at /m;
// eslint-disable-next-line no-control-regex
const RAW_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;

/** The data folder's config/ and workflows/, byte for byte (links recorded, not followed). */
async function dataFiles(dataDir: string): Promise<Record<string, Record<string, string>>> {
  return { config: await hashTree(join(dataDir, 'config')), workflows: await hashTree(join(dataDir, 'workflows')) };
}

/** A fresh configuration over an existing folder, without start-up work, so nothing is served from a cache. */
function openAsIs(dataDir: string): IConfigurationService {
  return createContainer({ dataDir }).get<IConfigurationService>(IConfigurationService);
}

/**
 * A store with the valid records, two records nothing uses, one kept version and one finished workflow; compacted
 * unless `changeLogs` (then its changes are still in the change logs, as a killed process leaves them).
 */
async function preparedFolder(changeLogs = false): Promise<{ env: TestContainer; dataDir: string; configuration: IConfigurationService; workflowId: string }> {
  // No folding in the background either, when the logs are to stay.
  const env = await createTestContainer(changeLogs ? { compactAfterIdleMs: Infinity } : {});
  const { dataDir, configuration } = env;
  const valid = validRecords();
  await configuration.createPersonality(valid.personality);
  await configuration.createRole(valid.role);
  await configuration.createAgent(valid.agent);
  await configuration.createPersonality({ ...valid.personality, id: 'spare-p', name: 'Spare' });
  await configuration.createRole({ ...valid.role, id: 'spare-r', name: 'Spare role' });
  await configuration.updatePersonality('spare-p', { description: 'an earlier description, kept in history' });
  const run = await configuration.runWorkflow({ name: 'setup', steps: [{ id: 'r', service: 'role', action: 'create', input: { ...valid.role, id: 'setup-role' } }] });
  // As a clean exit leaves it: the change logs folded into the files, so nothing is left to fold later.
  if (!changeLogs) await configuration.compact();
  return { env, dataDir, configuration, workflowId: run.id };
}

/** What a promise was rejected with (failing the test if it was not). */
async function rejection(promise: Promise<unknown>, what?: string): Promise<AgentcfgError> {
  return (await expect(promise, what).to.be.rejected) as AgentcfgError;
}

function expectNamed(details: readonly ErrorDetail[], path: string, messageIncludes?: string): void {
  const detail = details.find((d) => d.path === path);
  expect(detail, `a detail naming '${path}' in ${JSON.stringify(details)}`).to.not.equal(undefined);
  if (messageIncludes) expect(detail?.message).to.include(messageIncludes);
}

function expectNoSecret(text: string, secret: string | undefined): void {
  if (secret !== undefined) expect(text.includes(secret), 'the credential was repeated back').to.equal(false);
}

type JsonError = { code: string; message: string; details: ErrorDetail[] };

/** A --json run's one error document, checked for its exit code and code. */
function jsonError(run: CliRun, code: string): JsonError {
  expect(run.code, run.stdout + run.stderr).to.equal(exitCodeFor(code as ErrorCode));
  const doc = run.json<{ ok: boolean; error: JsonError }>();
  expect(doc.ok).to.equal(false);
  expect(doc.error.code).to.equal(code);
  expect(run.stdout + run.stderr).to.not.match(STACK_LINE);
  return doc.error;
}

describe('Feature: input hygiene — hostile input and planted links are refused, and the disk stays as it was', function () {
  let passed = 0;
  afterEach(function () {
    if (this.currentTest?.state === 'passed') passed++;
  });
  after(function () {
    console.log(`security: ${passed} input-hygiene cases`);
  });

  describe('Scenario: hostile bodies at every entry point (inputs)', function () {
    let env: TestContainer;
    let configuration: IConfigurationService;
    let filesBefore: Record<string, Record<string, unknown>>;
    let bodies: string;

    before(async function () {
      ({ env, configuration } = await preparedFolder());
      bodies = await makeTempDir('agentcfg-bodies-');
      filesBefore = await storeContents(env);
    });

    afterEach(async function () {
      expect(({} as Record<string, unknown>).polluted, 'Object.prototype was polluted').to.equal(undefined);
    });

    const bodyText = (attack: InputAttack) => JSON.stringify(attack.body);

    for (const attack of catalogue.inputs) {
      it(`library refuses ${attack.kind} ${attack.operation}: ${attack.name}, naming ${attack.expectPath}`, async function () {
        const audited = (await configuration.auditEntries()).length;
        const error = await rejection(sendInput(configuration, attack));
        expect(error.code).to.equal(attack.expectCode);
        expectNamed(error.details, attack.expectPath, attack.messageIncludes);
        expectNoSecret(JSON.stringify({ message: error.message, details: error.details, context: error.context }), attack.secret);
        expect(await storeContents(env)).to.deep.equal(filesBefore);
        // The refused request is on record, as who asked and why, without the secret it carried.
        const added = (await configuration.auditEntries()).slice(audited);
        expect(added.map((e) => [e.actor, e.outcome]), 'one audit entry for the refused request').to.deep.equal([[configuration.principal.actor, 'failed']]);
        expect(added[0]?.reason).to.match(new RegExp(`^${attack.expectCode}: `));
        expectNoSecret(JSON.stringify(added), attack.secret);
      });

      it(`CLI --json on stdin refuses: ${attack.name}`, async function () {
        const run = await runCliInProcess([...env.cliStore, ...inputCommand(attack, '-'), '--json'], { stdin: bodyText(attack) });
        const error = jsonError(run, attack.expectCode);
        expectNamed(error.details, attack.expectPath, attack.messageIncludes);
        expectNoSecret(run.stdout + run.stderr, attack.secret);
        expect(await storeContents(env)).to.deep.equal(filesBefore);
      });

      it(`CLI text output from --file refuses: ${attack.name}, printing no control character`, async function () {
        const file = join(bodies, `${passed}-${attack.kind}.json`);
        await writeFile(file, bodyText(attack));
        const run = await runCliInProcess([...env.cliStore, ...inputCommand(attack, file)]);
        expect(run.code, run.stderr).to.equal(exitCodeFor(attack.expectCode as ErrorCode));
        expect(run.stderr).to.include(`  - ${attack.expectPath || '(value)'}: `);
        expect(run.stderr).to.not.match(RAW_CONTROL).and.to.not.match(STACK_LINE);
        expectNoSecret(run.stdout + run.stderr, attack.secret);
        expect(await storeContents(env)).to.deep.equal(filesBefore);
      });
    }

    it('the agentcfg binary refuses a terminal escape read from stdin, without echoing it', async function () {
      const attack = catalogue.inputs.find((a) => a.messageIncludes === 'U+001B' && a.operation === 'create');
      if (!attack) throw new Error('the catalogue lost its escape-sequence case');
      const run = await runCli([...env.cliStore, ...inputCommand(attack, '-')], { stdin: bodyText(attack) });
      expect(run.code, run.stderr).to.equal(3);
      expect(run.stderr).to.include(attack.expectPath).and.to.not.match(RAW_CONTROL);
      expect(await storeContents(env)).to.deep.equal(filesBefore);
    });

    it('an update of a record others depend on is refused before a workflow journals the credential', async function () {
      const secret = catalogue.inputs.find((a) => a.secret !== undefined && a.kind === 'personality');
      const body = secret?.body as { customInstructions: string };
      const error = await rejection(configuration.updatePersonality('ada', { customInstructions: body.customInstructions }));
      expect(error.code).to.equal('VALIDATION_ERROR');
      expect(error.details.some((d) => d.path.endsWith('customInstructions') && d.message.includes('secure store'))).to.equal(true);
      expectNoSecret(JSON.stringify(error.details) + error.message, secret?.secret);
      expect(await storeContents(env)).to.deep.equal(filesBefore);
    });
  });

  describe('Scenario: ordinary text is accepted (benign)', function () {
    let env: TestContainer;
    let configuration: IConfigurationService;

    before(async function () {
      ({ env, configuration } = await preparedFolder());
    });

    const create = (kind: string, body: Record<string, unknown>) =>
      kind === 'personality' ? configuration.createPersonality(body as never) : kind === 'role' ? configuration.createRole(body as never) : configuration.createAgent(body as never);

    for (const benign of catalogue.benign) {
      it(`library stores ${benign.kind}: ${benign.name}, text unchanged`, async function () {
        const { id: _id, ...body } = benign.body;
        const stored = (await create(benign.kind, body)) as unknown as Record<string, unknown>;
        for (const [key, value] of Object.entries(body)) if (typeof value === 'string') expect(stored[key]).to.equal(value);
      });

      it(`CLI stores ${benign.kind}: ${benign.name}`, async function () {
        const { id: _id, ...body } = benign.body;
        const run = await runCliInProcess([...env.cliStore, benign.kind, 'create', '--file', '-', '--json'], { stdin: JSON.stringify(body) });
        expect(run.code, run.stdout + run.stderr).to.equal(0);
      });
    }

    it('the 10 role templates and 4 personality templates pass the same checks as any input', async function () {
      expect(ROLE_TEMPLATES).to.have.length(10);
      expect(PERSONALITY_TEMPLATES).to.have.length(4);
      for (const template of ROLE_TEMPLATES) parseInput(roleCreateSchema, template, `role template ${template.id}`);
      for (const template of PERSONALITY_TEMPLATES) parseInput(personalityCreateSchema, template, `personality template ${template.id}`);
      expect(findTextProblems([ROLE_TEMPLATES, PERSONALITY_TEMPLATES])).to.deep.equal([]);
      const roles = await configuration.getAllRoles();
      expect(roles.filter((r) => r.isTemplate)).to.have.length(10);
      expect((await configuration.getAllPersonalities()).filter((p) => p.isTemplate)).to.have.length(4);
    });
  });

  describe('Scenario: ids that would name a path (traversal)', function () {
    let env: TestContainer;
    let configuration: IConfigurationService;
    let filesBefore: Record<string, Record<string, unknown>>;

    before(async function () {
      ({ env, configuration } = await preparedFolder());
      filesBefore = await storeContents(env);
    });

    for (const attack of catalogue.traversal) {
      it(`library refuses ${attack.kind} ${attack.operation} ${JSON.stringify(attack.id)}: ${attack.name}`, async function () {
        const error = await rejection(useId(configuration, attack));
        expect(error.code).to.equal(attack.expectCode);
        expectNamed(error.details, attack.expectPath);
        expect(error.message).to.include(`${attack.kind} id`);
        expect(await storeContents(env)).to.deep.equal(filesBefore);
      });

      it(`CLI refuses ${[...idCommand(attack).args].join(' ')}: ${attack.name}`, async function () {
        const call = idCommand(attack);
        const run = await runCliInProcess([...env.cliStore, ...call.args, '--json'], call.stdin === undefined ? {} : { stdin: call.stdin });
        expectNamed(jsonError(run, attack.expectCode).details, attack.expectPath);
        expect(await storeContents(env)).to.deep.equal(filesBefore);
      });
    }

    it('the agentcfg binary refuses `workflow show ../../etc/passwd` (exit 3)', async function () {
      const run = await runCli([...env.cliStore, 'workflow', 'show', '../../etc/passwd', '--json']);
      jsonError(run, 'VALIDATION_ERROR');
      expect(run.stdout).to.not.include('root:');
    });

    // About the folder's journal files: the file store's JournalStore, and a stray file in workflows/.
    describeFileStoreOnly('Scenario: journal files named by ids', function () {
      it('the journal store itself refuses a non-id, and does not list files whose names are not ids', async function () {
        const { dataDir } = env;
        const store = new JournalStore(dataDir, nodeFileSystem);
        expect(() => store.pathOf('../x')).to.throw().with.property('code', 'VALIDATION_ERROR');
        expect((await rejection(store.read('../../etc/passwd'))).code).to.equal('VALIDATION_ERROR');
        const stray = join(dataDir, 'workflows', 'Not An Id.jsonl');
        await writeFile(stray, 'not a journal\n');
        try {
          const ids = (await configuration.listWorkflows()).map((r) => r.id);
          expect(ids).to.have.length(1);
          expect(await store.list()).to.deep.equal(ids);
        } finally {
          await rm(stray);
        }
      });
    });
  });

  // About the data folder's files: links planted in it.
  describeFileStoreOnly('Scenario: a symlink in the data folder that leads outside it (symlinks)', function () {
    for (const attack of catalogue.symlinks) {
      for (const transport of ['library', 'CLI'] as const) {
        if (transport === 'library' && !attack.library) continue;
        if (transport === 'CLI' && attack.cli === false) continue;
        it(`${transport} refuses ${attack.link} → outside (${attack.name}): ${attack.operations.join(', ')}`, async function () {
          const { dataDir, workflowId } = await preparedFolder(attack.changeLogs);
          const { outside, target } = await plantLink(dataDir, workflowId, attack);
          const outsideBefore = await hashTree(outside);
          const dataBefore = await dataFiles(dataDir);
          for (const operation of attack.operations) {
            if (transport === 'library') {
              const call = LIBRARY_OPERATIONS[operation] as (typeof LIBRARY_OPERATIONS)[string];
              const error = await rejection(call(openAsIs(dataDir), workflowId), operation);
              expect(error.code, `${operation}: ${error.message}`).to.equal(attack.expectCode);
              expect(error.message).to.include('leads outside the data folder');
            } else {
              const call = (CLI_OPERATIONS[operation] as (typeof CLI_OPERATIONS)[string])(workflowId);
              const run = await runCliInProcess(['--dir', dataDir, ...call.args, '--json'], call.stdin === undefined ? {} : { stdin: call.stdin });
              expect(jsonError(run, attack.expectCode).message).to.include('leads outside the data folder');
              expect(run.stdout + run.stderr).to.not.include(PLANTED_NAME);
            }
          }
          expect(await hashTree(outside), 'nothing outside was written, created or removed').to.deep.equal(outsideBefore);
          expect(await dataFiles(dataDir)).to.deep.equal(dataBefore);
          if (attack.target === 'missing') expect(existsSync(target)).to.equal(false);
        });
      }
    }
  });

  describe('Scenario: files larger than 64 MiB are refused without being read', function () {
    const tooLarge = MAX_FILE_BYTES + 1;

    it('CLI --file: a 64 MiB + 1 byte file, and an endless device, are a VALIDATION_ERROR naming --file', async function () {
      const { cliStore } = await createTestContainer();
      const big = join(await makeTempDir('agentcfg-big-'), 'big.json');
      await writeFile(big, '');
      await truncate(big, tooLarge);
      for (const file of existsSync('/dev/zero') ? [big, '/dev/zero'] : [big]) {
        const run = await runCliInProcess([...cliStore, 'personality', 'create', '--file', file, '--json']);
        expectNamed(jsonError(run, 'VALIDATION_ERROR').details, '--file', `larger than ${MAX_FILE_BYTES} bytes`);
      }
    });

    it('CLI stdin: 64 MiB + 1 byte is a VALIDATION_ERROR naming --file', async function () {
      const { cliStore } = await createTestContainer();
      const run = await runCliInProcess([...cliStore, 'import', '-', '--json'], { stdin: ' '.repeat(tooLarge) });
      expectNamed(jsonError(run, 'VALIDATION_ERROR').details, '--file', 'larger than');
    });

    // About the data folder's files: a collection, history or journal file grown on disk.
    describeFileStoreOnly('Scenario: a stored file grown past the limit', function () {
      for (const stored of ['config/personalities.json', 'config/personalities.history.jsonl', 'workflows/{workflow}.jsonl']) {
        it(`${stored} grown past the limit is an INTEGRITY_ERROR naming it; nothing is changed`, async function () {
          const { dataDir, workflowId } = await preparedFolder();
          const path = join(dataDir, stored.replace('{workflow}', workflowId));
          await truncate(path, tooLarge);
          const filesBefore = await dataFiles(dataDir);
          const configuration = openAsIs(dataDir);
          const read = stored.startsWith('workflows')
            ? configuration.getWorkflow(workflowId)
            : stored.includes('history')
              ? configuration.recordHistory('personality', 'spare-p')
              : configuration.getAllPersonalities();
          const error = await rejection(read);
          expect(error.code).to.equal('INTEGRITY_ERROR');
          expect(error.message).to.include(path).and.to.include('larger than');
          expect(await dataFiles(dataDir)).to.deep.equal(filesBefore);
        });
      }
    });
  });

  // About the data folder's files: journal, history and collection files edited by hand.
  describeFileStoreOnly('Scenario: tampered journals, histories and collection files', function () {
    /** A journal line with a correct checksum whose data carries a `__proto__` key. */
    function pollutedEntry(seq: number): string {
      const data = JSON.parse('{"status":"RUNNING","__proto__":{"polluted":true}}') as Record<string, unknown>;
      const unsigned = { seq, at: new Date().toISOString(), event: 'workflow.status' as const, data };
      return JSON.stringify({ ...unsigned, checksum: entryChecksum(unsigned) });
    }

    const tamperings = [
      { name: 'a polluted line with a valid checksum', replace: (seq: number) => pollutedEntry(seq) },
      { name: 'an unreadable line', replace: () => '{"seq": 2, "event": "workflow.sta' },
    ];

    for (const tampering of tamperings) {
      it(`${tampering.name} in the middle of a journal: INTEGRITY_ERROR naming file and line; recover truncates nothing`, async function () {
        const { dataDir, workflowId } = await preparedFolder();
        const path = join(dataDir, 'workflows', `${workflowId}.jsonl`);
        const lines = (await readFile(path, 'utf8')).split('\n');
        expect(lines.length).to.be.greaterThan(4);
        lines[1] = tampering.replace(2);
        await writeFile(path, lines.join('\n'));
        const filesBefore = await dataFiles(dataDir);
        const configuration = openAsIs(dataDir);
        const error = await rejection(configuration.getWorkflow(workflowId));
        expect(error.code).to.equal('INTEGRITY_ERROR');
        expect(error.message).to.include(path).and.to.include('line 2');
        jsonError(await runCliInProcess(['--dir', dataDir, 'workflow', 'show', workflowId, '--json']), 'INTEGRITY_ERROR');
        // The other workflows stay usable: this one is left out of lists, skipped by recovery, and reported by verify.
        expect((await configuration.listWorkflows()).map((r) => r.id)).to.not.include(workflowId);
        const [report] = (await configuration.recoverWorkflows({ includeFailed: true })).filter((r) => r.workflowId === workflowId);
        expect(report?.skipped).to.include(path).and.to.include('line 2');
        const finding = (await configuration.verify()).findings.find((f) => f.records.some((r) => r.id === workflowId));
        expect(finding).to.include({ code: 'FILE_CORRUPT', severity: 'error' });
        expect(finding?.message).to.include('line 2');
        expect(await dataFiles(dataDir), 'the entries after the bad line are all still there').to.deep.equal(filesBefore);
        expect(({} as Record<string, unknown>).polluted).to.equal(undefined);
      });
    }

    it('a polluted last line is tampering, not a torn write: refused, not cut off', async function () {
      const { dataDir, workflowId } = await preparedFolder();
      const path = join(dataDir, 'workflows', `${workflowId}.jsonl`);
      await appendFile(path, `${pollutedEntry((await readJournal(dataDir, workflowId)).length + 1)}\n`);
      const filesBefore = await dataFiles(dataDir);
      const [report] = await openAsIs(dataDir).recoverWorkflows({ includeFailed: true });
      expect(report).to.include({ workflowId });
      expect(report?.skipped).to.include('cannot be read');
      expect((await rejection(openAsIs(dataDir).getWorkflow(workflowId))).code).to.equal('INTEGRITY_ERROR');
      expect(await dataFiles(dataDir)).to.deep.equal(filesBefore);
    });

    it('a torn last line is still read past and cut off by recovery, as before', async function () {
      const { dataDir, workflowId } = await preparedFolder();
      const path = join(dataDir, 'workflows', `${workflowId}.jsonl`);
      const intact = await readFile(path);
      const entries = (await readJournal(dataDir, workflowId)).length;
      await appendFile(path, '{"seq": 99, "at": "20');
      const configuration = openAsIs(dataDir);
      const run = await configuration.getWorkflow(workflowId);
      expect(run?.status).to.equal('COMPLETED');
      expect(run?.tornLine).to.equal(entries + 1);
      await configuration.recoverWorkflows({ includeFailed: true });
      expect((await readFile(path)).equals(intact), 'only the torn tail was cut').to.equal(true);
    });

    it('a polluted history line is never served nor restored', async function () {
      const { dataDir, configuration } = await preparedFolder();
      const line = JSON.stringify(plantedPersonality('spare-p', 99)).replace('{', '{"__proto__":{"polluted":true},');
      await appendFile(join(dataDir, 'config', 'personalities.history.jsonl'), `${line}\n`);
      const versions = (await configuration.recordHistory('personality', 'spare-p')).map((r) => r.version);
      expect(versions).to.deep.equal([1]);
      expect((await rejection(configuration.restoreRecord('personality', 'spare-p', 99))).code).to.equal('NOT_FOUND');
      expect(({} as Record<string, unknown>).polluted).to.equal(undefined);
    });

    it('a collection file carrying __proto__, with no backup: INTEGRITY_ERROR, nothing served, nothing changed', async function () {
      const { dataDir } = await preparedFolder();
      const path = join(dataDir, 'config', 'personalities.json');
      const text = await readFile(path, 'utf8');
      expect(text).to.include('"id": "spare-p"');
      await writeFile(path, text.replace('"id": "spare-p"', '"__proto__": { "polluted": true }, "id": "spare-p"'));
      await rm(`${path}.bak`);
      const filesBefore = await dataFiles(dataDir);
      const error = await rejection(openAsIs(dataDir).getAllPersonalities());
      expect(error.code).to.equal('INTEGRITY_ERROR');
      expect(error.message).to.include(path).and.to.include('__proto__');
      jsonError(await runCliInProcess(['--dir', dataDir, 'personality', 'list', '--json']), 'INTEGRITY_ERROR');
      expect(await dataFiles(dataDir)).to.deep.equal(filesBefore);
      expect(({} as Record<string, unknown>).polluted).to.equal(undefined);
    });
  });

  describe('Scenario: errors never print a stack trace', function () {
    afterEach(() => sinon.restore());

    // About the data folder: one that is a file, and the file service's reads failing, logged in the folder's logs/.
    describeFileStoreOnly('Scenario: a data folder that cannot be used', function () {
      it('an internal error from the binary (a data folder that is a file) prints its message, no stack, in text and --json', async function () {
        const file = join(await makeTempDir(), 'not-a-folder');
        await writeFile(file, 'x');
        const text = await runCli(['--dir', file, 'personality', 'list']);
        expect(text.code).to.equal(1);
        expect(text.stderr).to.include('INTERNAL_ERROR').and.to.not.match(STACK_LINE);
        expect(jsonError(await runCli(['--dir', file, 'personality', 'list', '--json']), 'INTERNAL_ERROR').message).to.include('internal error');
      });

      it('an unexpected error whose message carries a stack prints only its first line', async function () {
        const dataDir = await makeTempDir();
        const failure = new Error(`disk on fire\n    at burn (/srv/fire.js:1:1)\n    at Object.<anonymous> (/srv/fire.js:9:9)`);
        expect(failure.stack).to.match(STACK_LINE); // the output below could show one
        sinon.stub(JsonFileService.prototype, 'read').rejects(failure);
        for (const json of [false, true]) {
          const run = await runCliInProcess(['--dir', dataDir, 'personality', 'list', ...(json ? ['--json'] : [])]);
          expect(run.code).to.equal(1);
          expect(run.stdout + run.stderr).to.include('internal error: disk on fire').and.to.not.match(STACK_LINE);
        }
        // ...while the log keeps the stack, for whoever investigates.
        const log = await readFile(join(dataDir, 'logs', 'agentcfg.log'), 'utf8');
        expect(log).to.include('internal error').and.to.include('at burn (/srv/fire.js:1:1)');
      });
    });

    it('ordinary errors (not found, validation) print no stack either', async function () {
      const { cliStore } = await createTestContainer();
      for (const [args, code] of [
        [['personality', 'get', 'nobody'], 4],
        [['role', 'create', '--file', '-'], 3],
      ] as const) {
        const run = await runCliInProcess([...cliStore, ...args], { stdin: '{"name": 1}' });
        expect(run.code, run.stderr).to.equal(code);
        expect(run.stderr).to.match(/^agentcfg: [A-Z_]+: /).and.to.not.match(STACK_LINE);
      }
    });
  });
});
