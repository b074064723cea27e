import { expect } from 'chai';
import type { AgentcfgError } from '../../../src/domain/errors/agentcfg-error';
import type { IConfigurationService } from '../../../src/services/configuration/configuration-service';
import { loadFixture } from '../../support/fixtures';
import { removePath, setPath, validRecords } from '../../support/records';
import { runCli } from '../../support/run-cli';
import { storedRecords } from '../../support/store-state';
import { createTestContainer, type TestContainer } from '../../support/test-container';

interface InvalidCase {
  name: string;
  kind: 'personality' | 'role' | 'agent';
  operation?: 'create' | 'update';
  set?: Record<string, unknown>;
  remove?: string[];
  raw?: string;
  paths: string[];
}

const { cases } = loadFixture<{ cases: InvalidCase[] }>('validation/invalid-inputs.json');

/** The JSON text a case sends: a valid body with the case's changes, or the raw text. */
function bodyText(testCase: InvalidCase): string {
  if (testCase.raw !== undefined) return testCase.raw;
  const body = validRecords()[testCase.kind] as unknown as Record<string, unknown>;
  for (const [path, value] of Object.entries(testCase.set ?? {})) setPath(body, path, value);
  for (const path of testCase.remove ?? []) removePath(body, path);
  return JSON.stringify(body);
}

const existingIds = { personality: 'ada', role: 'reviewer', agent: 'ada-reviewer' };

function send(configuration: IConfigurationService, testCase: InvalidCase): Promise<unknown> {
  const body = JSON.parse(bodyText(testCase)) as never;
  const id = existingIds[testCase.kind];
  if (testCase.operation === 'update') {
    if (testCase.kind === 'personality') return configuration.updatePersonality(id, body);
    if (testCase.kind === 'role') return configuration.updateRole(id, body);
    return configuration.updateAgent(id, body);
  }
  if (testCase.kind === 'personality') return configuration.createPersonality(body);
  if (testCase.kind === 'role') return configuration.createRole(body);
  return configuration.createAgent(body);
}

describe('Feature: invalid input is rejected at the edge and never touches the disk', function () {
  let env: TestContainer;
  let hashesBefore: Record<string, unknown>;

  before(async function () {
    env = await createTestContainer();
    const valid = validRecords();
    await env.configuration.createPersonality(valid.personality);
    await env.configuration.createRole(valid.role);
    await env.configuration.createAgent(valid.agent);
    // As a clean exit leaves it: the change logs folded into the files, so nothing is left to fold later.
    await env.configuration.compact();
    hashesBefore = await storedRecords(env);
  });

  after(() => env.dispose());

  describe('Scenario: through the library', function () {
    for (const testCase of cases) {
      it(`rejects ${testCase.kind} ${testCase.operation ?? 'create'}: ${testCase.name}, naming ${testCase.paths.join(', ') || '(value)'}`, async function () {
        const error = (await expect(send(env.configuration, testCase)).to.be.rejected) as AgentcfgError;
        expect(error.code).to.equal('VALIDATION_ERROR');
        expect(error.details.map((d) => d.path)).to.include.members(testCase.paths);
        expect(error.message).to.include(testCase.paths[0] || '(value)');
        expect(await storedRecords(env)).to.deep.equal(hashesBefore);
        expect(({} as Record<string, unknown>).polluted).to.equal(undefined);
      });
    }
  });

  describe('Scenario: through the command line', function () {
    for (const testCase of cases) {
      it(`exits 3 with every failing field in --json for: ${testCase.name}`, async function () {
        const verb = testCase.operation === 'update' ? ['update', existingIds[testCase.kind]] : ['create'];
        const run = await runCli([...env.cliStore, testCase.kind, ...verb, '--file', '-', '--json'], { stdin: bodyText(testCase) });
        expect(run.code, run.stderr).to.equal(3);
        const doc = run.json();
        expect(doc.ok).to.equal(false);
        expect(doc.error?.code).to.equal('VALIDATION_ERROR');
        expect(doc.error?.details.map((d) => d.path)).to.include.members(testCase.paths);
        expect(await storedRecords(env)).to.deep.equal(hashesBefore);
      });
    }
  });
});
