import { expect } from 'chai';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { isAgentcfgError, type AgentcfgError } from '../../../src/domain/errors/agentcfg-error';
import { ErrorCode } from '../../../src/domain/errors/error-code';
import { MAX_YAML_ALIASES, readCrewAiAgents } from '../../../src/interchange/crewai';
import { MAX_IMPORT_BYTES } from '../../../src/interchange/limits';
import { FIXTURES_DIR } from '../../support/fixtures';
import { validationRefusal } from '../../support/refusal';

const FIXTURE = join(FIXTURES_DIR, 'interchange', 'crewai', 'agents.yaml');
const SECRET = 'sk-proj-A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6';

const refusal = validationRefusal;

function refusalOf(text: string): AgentcfgError {
  return refusal(() => readCrewAiAgents(text, 'agents.yaml'));
}

function expectNamed(error: AgentcfgError, path: string, secret?: string): void {
  expect(error.details.map((d) => d.path), error.message).to.include(path);
  if (secret !== undefined) expect(JSON.stringify({ message: error.message, details: error.details, context: error.context })).to.not.include(secret);
}

/** A one-agent file with the given extra lines under the agent. */
function oneAgent(lines: string): string {
  return `writer:\n  role: Writer\n  goal: Write well\n  backstory: Wrote a lot.\n${lines}`;
}

describe('Feature: reading a CrewAI agents.yaml', function () {
  it('reads every agent field by field: text as written, llm split, tools, delegation, other keys kept', function () {
    const agents = readCrewAiAgents(readFileSync(FIXTURE, 'utf8'), 'crew/agents.yaml');
    expect(agents).to.deep.equal([
      {
        key: 'researcher',
        role: '{topic} Senior Data Researcher\n',
        goal: 'Uncover cutting-edge developments in {topic}\n',
        backstory:
          "You're a seasoned researcher with a knack for uncovering the latest developments in {topic}. Known for your ability to find the most relevant information and present it in a clear and concise manner.\n",
        llm: { provider: 'openai', model: 'gpt-4o' },
        tools: ['SerperDevTool', 'ScrapeWebsiteTool'],
        allowDelegation: false,
        extra: { verbose: true, max_iter: 15 },
        source: 'crew/agents.yaml',
      },
      {
        key: 'reporting_analyst',
        role: '{topic} Reporting Analyst',
        goal: 'Create detailed reports based on {topic} data analysis and research findings',
        backstory: "You're a meticulous analyst with a keen eye for detail.\nYou turn complex data into clear and concise reports.\n",
        llm: { model: 'gpt-4o-mini' },
        tools: ['SerperDevTool', 'ScrapeWebsiteTool'],
        extra: { memory: true },
        source: 'crew/agents.yaml',
      },
      {
        key: 'reviewer',
        role: 'Editor',
        goal: 'Check every claim against its source',
        backstory: 'A former fact-checker who trusts nothing unverified.',
        llm: { provider: 'openrouter', model: 'meta-llama/llama-3.1-70b-instruct' },
        allowDelegation: true,
        extra: { max_rpm: 10 },
        source: 'crew/agents.yaml',
      },
    ]);
  });

  it('splits llm at the first slash, takes a bare model id, and reads an empty llm as not set', function () {
    const llmOf = (value: string): unknown => readCrewAiAgents(oneAgent(`  llm: ${value}\n`), 'a.yaml')[0]?.llm;
    expect(llmOf('anthropic/claude-3-5-sonnet-20241022')).to.deep.equal({ provider: 'anthropic', model: 'claude-3-5-sonnet-20241022' });
    expect(llmOf('ollama/llama3.1:8b')).to.deep.equal({ provider: 'ollama', model: 'llama3.1:8b' });
    expect(llmOf('gpt-4o')).to.deep.equal({ model: 'gpt-4o' });
    expect(llmOf('')).to.equal(undefined);
    for (const bad of ['openai/', '/gpt-4o', '"open ai/gpt-4o"', '42']) expectNamed(refusalOf(oneAgent(`  llm: ${bad}\n`)), 'writer.llm');
  });

  it('holds each agent to its fields: role, goal and backstory required, types checked', function () {
    expectNamed(refusalOf('writer:\n  goal: g\n  backstory: b\n'), 'writer.role');
    expectNamed(refusalOf('writer:\n  role: r\n  goal: "   "\n  backstory: b\n'), 'writer.goal');
    expectNamed(refusalOf(oneAgent('  tools: SerperDevTool\n')), 'writer.tools');
    expectNamed(refusalOf(oneAgent('  tools: [1, 2]\n')), 'writer.tools.0');
    expectNamed(refusalOf(oneAgent('  allow_delegation: "yes"\n')), 'writer.allow_delegation');
    expectNamed(refusalOf(`writer:\n  role: r\n  goal: g\n  backstory: ${'b'.repeat(32 * 1024 + 1)}\n`), 'writer.backstory');
    expectNamed(refusalOf('writer: just a string\n'), 'writer');
    expectNamed(refusalOf('- role: r\n  goal: g\n  backstory: b\n'), '');
    expectNamed(refusalOf(''), '');
    expectNamed(refusalOf('{}'), '');
  });

  it('refuses credential-looking text and control characters, naming the field without echoing it', function () {
    expectNamed(refusalOf(`writer:\n  role: r\n  goal: g\n  backstory: "my key is ${SECRET}"\n`), 'writer.backstory', SECRET);
    expectNamed(refusalOf(oneAgent(`  api_base: ${SECRET}\n`)), 'writer.api_base', SECRET);
    expectNamed(refusalOf(oneAgent('  notes: "bell\\a"\n')), 'writer.notes');
  });

  it('parses YAML as plain data only: alias bombs, custom and language tags, duplicates and odd keys are refused', function () {
    const levels = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
    for (let i = 1; i < 8; i++) levels.push(`l${i}: &l${i} [${Array(9).fill(i === 1 ? '*a' : `*l${i - 1}`).join(',')}]`);
    expect(refusalOf(levels.join('\n')).message).to.include(`more than ${MAX_YAML_ALIASES} times`);
    const hostile: [string, string][] = [
      [oneAgent('  llm: !!python/object/apply:os.system ["echo pwned"]\n'), 'python/object'],
      [oneAgent('  extra: !secret value\n'), '!secret'],
      [oneAgent('  blob: !!binary aGVsbG8=\n'), 'binary'],
      [oneAgent('  role: Again\n'), 'unique'],
      [`${oneAgent('')}---\nother: {}\n`, 'MULTIPLE_DOCS'],
      [oneAgent('  ? [a, b]\n  : c\n'), 'collection'],
      ['writer: [unclosed\n', ''],
    ];
    for (const [text, says] of hostile) expect(refusalOf(text).message).to.include(says);
    expect(refusalOf(oneAgent('  __proto__: {polluted: true}\n')).message).to.include('__proto__');
  });

  it('refuses files over 10 MB before parsing them', function () {
    const huge = oneAgent(`  notes: "${'x'.repeat(MAX_IMPORT_BYTES)}"\n`);
    expect(refusalOf(huge).message).to.include('too large');
  });

  it('never lets random text, YAML or JSON escape as anything but a ValidationError (fast-check, 300 runs)', function () {
    const agentish = fc.dictionary(
      fc.constantFrom('role', 'goal', 'backstory', 'llm', 'tools', 'allow_delegation', 'verbose', 'x'),
      fc.oneof(fc.string(), fc.jsonValue({ maxDepth: 2 })),
    );
    const text = fc.oneof(
      fc.string(),
      fc.json({ maxDepth: 3 }),
      fc.jsonValue({ maxDepth: 3 }).map((v) => stringify(v)),
      fc.dictionary(fc.string({ minLength: 1, maxLength: 8 }), agentish, { maxKeys: 3 }).map((v) => stringify(v)),
      fc.uint8Array({ maxLength: 200 }).map((bytes) => Buffer.from(bytes).toString('utf8')),
    );
    fc.assert(
      fc.property(text, (body) => {
        try {
          readCrewAiAgents(body, 'random.yaml');
        } catch (error) {
          if (!isAgentcfgError(error) || error.code !== ErrorCode.VALIDATION_ERROR) throw error;
        }
      }),
      { numRuns: 300, seed: 20260613 },
    );
  });
});
