import { expect } from 'chai';
import { validRecords } from '../../support/records';
import { storedRecords } from '../../support/store-state';
import { createTestContainer, type TestContainer } from '../../support/test-container';
import { refusal } from '../../support/refusal';

describe('Feature: records keep what other tools know about them, in `extensions`', function () {
  let env: TestContainer;

  beforeEach(async function () {
    env = await createTestContainer();
  });
  afterEach(() => env.dispose());

  it('every kind stores its extensions as given, nested values included, and a merge patch changes one key of them', async function () {
    const { personality, role, agent } = validRecords();
    const card = { chara: { scenario: 'A lighthouse at night.', alternate_greetings: ['Hello', 'Ahoy'], depth_prompt: { depth: 4, role: 'system' } } };
    const made = await env.configuration.createPersonality({ ...personality, extensions: card });
    expect(made.extensions).to.deep.equal(card);
    expect((await env.configuration.createRole({ ...role, extensions: { crewai: { allow_delegation: false } } })).extensions).to.deep.equal({ crewai: { allow_delegation: false } });
    expect((await env.configuration.createAgent({ ...agent, extensions: { letta: { context_window: 8192 } } })).extensions).to.deep.equal({ letta: { context_window: 8192 } });
    const connection = await env.configuration.records('connection').create({ name: 'Cloud', provider: 'anthropic', extensions: { fishbowl: { useAuthHeader: true } } });
    expect(connection.extensions).to.deep.equal({ fishbowl: { useAuthHeader: true } });

    const patched = await env.configuration.updatePersonality(personality.id, { extensions: { chara: { scenario: 'A harbour at dawn.' }, fishbowl: { layout: 'current' } } });
    expect(patched.extensions).to.deep.equal({ chara: { ...card.chara, scenario: 'A harbour at dawn.' }, fishbowl: { layout: 'current' } });
    expect((await env.configuration.getPersonality(personality.id))?.extensions).to.deep.equal(patched.extensions);
  });

  it('extensions are checked like every other field: a credential, a control character, a polluting key or too much is refused by path, and nothing is written', async function () {
    const { personality } = validRecords();
    const before = await storedRecords(env);
    const key = ['sk', 'ant', 'api03', 'Xy7Qw2Er9Ty4Ui1Op6As3Df8Gh5Jk0Lz'].join('-');
    const cases: [unknown, string][] = [
      [{ chara: { notes: `use ${key}` } }, 'extensions.chara.notes'],
      [{ chara: { notes: 'bell\u0007' } }, 'extensions.chara.notes'],
      [JSON.parse('{"__proto__": {"polluted": true}}'), 'extensions.__proto__'],
      [{ big: 'x'.repeat(17 * 1024) }, 'extensions'],
    ];
    for (const [extensions, path] of cases) {
      const error = await refusal(env.configuration.createPersonality({ ...personality, extensions } as never));
      expect(error.code, path).to.equal('VALIDATION_ERROR');
      expect(error.details.map((d) => d.path), path).to.include(path);
      expect(JSON.stringify(error.toJSON())).to.not.contain(key);
    }
    expect(await storedRecords(env)).to.deep.equal(before);
  });
});
