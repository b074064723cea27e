import { expect } from 'chai';
import { modelWarnings } from '../../../src/domain/agent/model-catalogue';
import { PERSONALITY_TRAITS } from '../../../src/domain/personality/personality';
import { composeSystemPrompt, describePersonality, traitPhrase } from '../../../src/domain/prompt/effective-system-prompt';
import { TRAIT_PHRASES } from '../../../src/domain/prompt/trait-phrases';
import { canonicalJson, checksumOf } from '../../../src/domain/canonical-json';
import { validRecords } from '../../support/records';
import { createTestContainer } from '../../support/test-container';

const middle = Object.fromEntries(PERSONALITY_TRAITS.map((t) => [t, 50])) as Record<(typeof PERSONALITY_TRAITS)[number], number>;

describe('Feature: the effective system prompt is derived from role and personality', function () {
  it('maps each trait value band to its own phrase, and says nothing in the middle band', function () {
    for (const trait of PERSONALITY_TRAITS) {
      const [veryLow, low, high, veryHigh] = TRAIT_PHRASES[trait];
      expect([0, 20].map((v) => traitPhrase(trait, v))).to.deep.equal([veryLow, veryLow]);
      expect([21, 40].map((v) => traitPhrase(trait, v))).to.deep.equal([low, low]);
      expect([41, 59].map((v) => traitPhrase(trait, v))).to.deep.equal([undefined, undefined]);
      expect([60, 79].map((v) => traitPhrase(trait, v))).to.deep.equal([high, high]);
      expect([80, 100].map((v) => traitPhrase(trait, v))).to.deep.equal([veryHigh, veryHigh]);
      expect(new Set([veryLow, low, high, veryHigh]).size, trait).to.equal(4);
    }
  });

  it('describes an all-middle personality as balanced, and a marked one by its traits', function () {
    expect(describePersonality(middle)).to.equal('Keep a balanced, even-tempered manner.');
    const marked = describePersonality({ ...middle, humor: 95, brevity: 5 });
    expect(marked).to.equal(`${TRAIT_PHRASES.humor[3]} ${TRAIT_PHRASES.brevity[0]}`);
  });

  it('says nothing about a trait left unset, and speaks of the behaviours other tools carry (focus, pedagogical, …)', function () {
    expect(describePersonality({})).to.equal('Keep a balanced, even-tempered manner.');
    expect(describePersonality({ focus: 95, pedagogical: 10 })).to.equal(`${TRAIT_PHRASES.pedagogical[0]} ${TRAIT_PHRASES.focus[3]}`);
  });

  it('a personality created with only a name is stored with its traits unset, and its agent resolves', async function () {
    const env = await createTestContainer();
    try {
      const bare = await env.configuration.createPersonality({ name: 'Bare' });
      expect(PERSONALITY_TRAITS.filter((trait) => trait in bare)).to.deep.equal([]);
      const { role, agent } = validRecords();
      await env.configuration.createRole(role);
      await env.configuration.createAgent({ ...agent, personalityId: bare.id });
      expect((await env.configuration.resolveAgent(agent.id)).systemPrompt).to.contain('Personality: Keep a balanced, even-tempered manner.');
      const refused = await env.configuration.createPersonality({ name: 'Loud', focus: 101 }).then(() => null, (error: { details: { path: string }[] }) => error);
      expect(refused?.details.map((d) => d.path)).to.deep.equal(['focus']);
    } finally {
      await env.dispose();
    }
  });

  it('composes role prompt, focus areas, personality and custom instructions in that order', function () {
    const prompt = composeSystemPrompt(
      { systemPrompt: '  You are a critic.  ', focusAreas: ['risks', 'tests'] },
      { ...middle, analyticalDepth: 90, customInstructions: ' Answer in French. ' },
    );
    expect(prompt).to.equal(
      ['You are a critic.', 'Focus areas: risks, tests.', `Personality: ${TRAIT_PHRASES.analyticalDepth[3]}`, 'Additional instructions: Answer in French.'].join('\n\n'),
    );
    const bare = composeSystemPrompt({ systemPrompt: 'Plain.', focusAreas: [] }, { ...middle, customInstructions: '   ' });
    expect(bare).to.equal('Plain.\n\nPersonality: Keep a balanced, even-tempered manner.');
  });

  it('warns about unknown models and oversized maxTokens, but never for local ollama models', function () {
    expect(modelWarnings({ provider: 'openai', modelId: 'gpt-4o', parameters: { temperature: 0.7 } })).to.deep.equal([]);
    expect(modelWarnings({ provider: 'anthropic', modelId: 'claude-next', parameters: { temperature: 0.7 } })[0]).to.include('not in the catalogue for anthropic');
    expect(modelWarnings({ provider: 'google', modelId: 'gemini-2.0-flash', parameters: { temperature: 1, maxTokens: 100000 } })[0]).to.include('exceeds');
    expect(modelWarnings({ provider: 'ollama', modelId: 'my-finetune', parameters: { temperature: 0.2 } })).to.deep.equal([]);
  });

  it('checksums the canonical form, so key order does not matter but values do', function () {
    expect(canonicalJson({ b: 1, a: { d: [2, { z: 1, y: 2 }], c: null } })).to.equal('{"a":{"c":null,"d":[2,{"y":2,"z":1}]},"b":1}');
    expect(checksumOf([{ a: 1, b: 2 }])).to.equal(checksumOf([{ b: 2, a: 1 }]));
    expect(checksumOf([{ a: 1 }])).to.not.equal(checksumOf([{ a: 2 }]));
    expect(checksumOf([])).to.match(/^sha256:[0-9a-f]{64}$/);
  });
});
