import { expect } from 'chai';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';
import { ValidationError } from '../../../src/domain/errors/errors';
import {
  MAX_IMPORT_BYTES,
  cardToJson,
  isCardJson,
  isPng,
  parseCardJson,
  readCardPng,
  writeCardPng,
  type Card,
} from '../../../src/interchange/card';
import { V3_DATA_KEYS } from '../../../src/interchange/card/card';
import { PNG_SIGNATURE, decodeTextChunk, encodeChunk, encodeTextChunk, readChunks } from '../../../src/interchange/card/png-chunks';
import { FIXTURES_DIR } from '../../support/fixtures';

const CARD_DIR = join(FIXTURES_DIR, 'interchange', 'card');
const fixtureText = (name: string): string => readFileSync(join(CARD_DIR, name), 'utf8');
const fixtureBytes = (name: string): Buffer => readFileSync(join(CARD_DIR, name));

const v2Json = fixtureText('card-v2.json');
const v3Json = fixtureText('card-v3.json');
const v2Png = fixtureBytes('card-v2.png');
const v3Png = fixtureBytes('card-v3.png');

/** A PNG made of the signature and these chunks. */
const png = (...chunks: Buffer[]): Buffer => Buffer.concat([PNG_SIGNATURE, ...chunks]);
/** The whole chunks (length to CRC) of a valid PNG. */
const rawChunks = (bytes: Buffer): Buffer[] => readChunks(bytes, 'test').map((c) => c.raw);
const b64 = (text: string): string => Buffer.from(text, 'utf8').toString('base64');

/** The ValidationError `run` throws; fails the test on success or on any other error. */
function refusal(run: () => unknown): ValidationError {
  try {
    run();
  } catch (error) {
    expect(error, String(error)).to.be.instanceOf(ValidationError);
    return error as ValidationError;
  }
  throw new Error('expected a ValidationError, but nothing was thrown');
}

/** Checks a refusal names `path` with a message matching `message`, and stays short whatever the input. */
function expectRefusal(run: () => unknown, path: string, message: RegExp): ValidationError {
  const error = refusal(run);
  expect(error.details.map((d) => d.path), error.message).to.include(path);
  expect(error.details.find((d) => d.path === path)?.message).to.match(message);
  expect(error.message.length, 'message stays short').to.be.below(400);
  for (const detail of error.details) expect(detail.path.length + detail.message.length, 'details stay short').to.be.below(400);
  return error;
}

describe('Feature: Character Cards V2 and V3 are read from JSON, nothing lost', function () {
  it('reads every field of a V2 card as written', function () {
    const card = parseCardJson(v2Json, 'card-v2.json');
    expect(card.version).to.equal(2);
    expect(card.spec).to.equal('chara_card_v2');
    expect(card.spec_version).to.equal('2.0');
    const { data } = card;
    expect(data.name).to.equal('Mira Vance');
    expect(data.description).to.equal('{{char}} is a lighthouse keeper on a storm-bound island.');
    expect(data.personality).to.equal('patient, dry-witted, observant');
    expect(data.scenario).to.equal('{{user}} washes ashore after a shipwreck.');
    expect(data.first_mes).to.equal('*Mira lowers her lantern.* "You\'re lucky the tide turned."');
    expect(data.mes_example).to.equal('<START>\n{{user}}: Where am I?\n{{char}}: Somewhere the maps forgot.');
    expect(data.creator_notes).to.equal('Works best with slow-paced stories.');
    expect(data.system_prompt).to.equal('Stay in character as {{char}}. {{original}}');
    expect(data.post_history_instructions).to.equal('Keep replies under 150 words.');
    expect(data.alternate_greetings).to.deep.equal(['*The lamp flickers.* "Another storm."', '"Tea? It\'s all I have."']);
    expect(data.tags).to.deep.equal(['fantasy', 'slice of life']);
    expect(data.creator).to.equal('agentcfg fixtures');
    expect(data.character_version).to.equal('1.2');
    expect(data.extensions).to.deep.equal({ talkativeness: '0.5', fav: false, world: 'Island lore' });
    expect(data.character_book?.name).to.equal('Island lore');
    expect(data.character_book?.scan_depth).to.equal(4);
    expect(data.character_book?.token_budget).to.equal(512);
    expect(data.character_book?.recursive_scanning).to.equal(false);
    expect(data.character_book?.entries).to.deep.equal([
      {
        keys: ['lighthouse', 'lamp'],
        content: 'The lamp has not gone dark in forty years.',
        extensions: { depth: 4 },
        enabled: true,
        insertion_order: 100,
        case_sensitive: false,
        id: 1,
        comment: 'the lamp',
        selective: false,
        secondary_keys: [],
        constant: false,
        position: 'before_char',
      },
    ]);
    expect(card.unknownData).to.deep.equal({});
    expect(card.unknownRoot).to.deep.equal({});
  });

  it('reads every field of a V3 card, keeping unknown extension keys exactly and returning unknown data and top-level keys apart', function () {
    const card = parseCardJson(v3Json, 'card-v3.json');
    if (card.version !== 3) throw new Error('expected a V3 card');
    const { data } = card;
    expect(card.spec).to.equal('chara_card_v3');
    expect(card.spec_version).to.equal('3.0');
    expect(data.name).to.equal('Kaito Ren');
    expect(data.description).to.equal('{{char}} runs a ramen stall — 深夜営業 — under the railway bridge. Café regulars call him «chef» 🍜.');
    expect(data.personality).to.equal('gruff, generous');
    expect(data.scenario).to.equal('Late night; the last train has gone.');
    expect(data.first_mes).to.equal('"We\'re closing." *He ladles a bowl anyway.*');
    expect([data.mes_example, data.system_prompt, data.post_history_instructions]).to.deep.equal(['', '', '']);
    expect(data.creator_notes).to.equal('Default notes.');
    expect(data.alternate_greetings).to.deep.equal([]);
    expect(data.tags).to.deep.equal(['slice of life']);
    expect(data.creator).to.equal('agentcfg fixtures');
    expect(data.character_version).to.equal('3');
    expect(data.extensions).to.deep.equal({
      depth_prompt: { prompt: 'Smells of broth.', depth: 4, role: 'system' },
      x_unknown_app: { nested: [1, { deep: null }, 'text'], flag: true },
      risuai: { bias: [['ramen', 5]] },
    });
    expect(data.character_book).to.deep.equal({
      extensions: { x_vendor: { mode: 'strict' } },
      entries: [
        {
          keys: ['^ramen$'],
          content: '@@depth 2\nThe broth simmers for two days.',
          extensions: {},
          enabled: true,
          insertion_order: 0,
          use_regex: true,
          id: 'broth',
          x_entry_color: '#ff8800',
        },
      ],
    });
    expect(data.assets).to.deep.equal([{ type: 'icon', uri: 'ccdefault:', name: 'main', ext: 'png' }]);
    expect(data.nickname).to.equal('Ren');
    expect(data.creator_notes_multilingual).to.deep.equal({ en: 'English notes.', ja: '日本語のメモ。' });
    expect(data.source).to.deep.equal(['https://example.invalid/cards/kaito-ren']);
    expect(data.group_only_greetings).to.deep.equal(['"Table for how many?"']);
    expect(data.creation_date).to.equal(1717000000);
    expect(data.modification_date).to.equal(1718000000);
    expect(card.unknownData).to.deep.equal({ x_future_field: { v: 4 }, legacy_mood: 'tired' });
    expect(card.unknownRoot).to.deep.equal({ create_date: '2024-5-29 @12h 0m 0s 0ms' });
    expect(data, 'unknown keys are not mixed into data').to.not.have.property('x_future_field');
  });

  it('writes each fixture back to the same JSON, unknown keys where they were read from', function () {
    for (const text of [v2Json, v3Json]) {
      expect(JSON.parse(cardToJson(parseCardJson(text, 'fixture')))).to.deep.equal(JSON.parse(text));
    }
  });

  it('gives missing optional strings the empty string and missing lists the empty list, as cards in the wild need', function () {
    const card = parseCardJson(JSON.stringify({ spec: 'chara_card_v3', data: { name: 'Bare' } }), 'bare.json');
    expect(card.spec_version).to.equal('3.0');
    expect(card.data.description).to.equal('');
    expect(card.data.system_prompt).to.equal('');
    expect(card.data.tags).to.deep.equal([]);
    expect(card.data.extensions).to.deep.equal({});
    expect(card.version === 3 && card.data.group_only_greetings).to.deep.equal([]);
    expect(card.data.character_book).to.equal(undefined);
  });

  it('refuses a field of the wrong type, naming every failing path', function () {
    const text = JSON.stringify({
      spec: 'chara_card_v2',
      data: { name: 7, tags: ['ok', 3], extensions: [], character_book: { entries: [{ keys: 'lamp' }] } },
    });
    const error = expectRefusal(() => parseCardJson(text, 'typed.json'), 'data.name', /expected string/);
    expect(error.details.map((d) => d.path)).to.include.members(['data.tags.1', 'data.extensions', 'data.character_book.entries.0.keys']);
    expect(error.message).to.contain('typed.json').and.to.contain('data.tags.1');
  });

  it('refuses whatever is not a card, saying why', function () {
    expectRefusal(() => parseCardJson('{"spec": ', 'a.json'), '', /not valid JSON/);
    expectRefusal(() => parseCardJson('[1, 2]', 'a.json'), '', /not a JSON object/);
    expectRefusal(() => parseCardJson('{"name": "V1 only"}', 'a.json'), 'spec', /missing/);
    expectRefusal(() => parseCardJson('{"spec": "chara_card_v9", "data": {}}', 'a.json'), 'spec', /chara_card_v2/);
    expectRefusal(() => parseCardJson('{"spec": "chara_card_v2", "data": "text"}', 'a.json'), 'data', /expected object/);
    expectRefusal(() => parseCardJson('{"spec": "chara_card_v2", "data": {"name": "x", "extensions": {"__proto__": {"polluted": true}}}}', 'a.json'), '', /forbidden key/);
    const deep = `${'['.repeat(100)}${']'.repeat(100)}`;
    expectRefusal(() => parseCardJson(`{"spec": "chara_card_v2", "data": {"name": "x", "extensions": {"d": ${deep}}}}`, 'a.json'), '', /nests deeper/);
    expectRefusal(() => parseCardJson(' '.repeat(MAX_IMPORT_BYTES + 1), 'a.json'), '', /cap/);
  });

  it('never echoes more than a short prefix of the input in an error', function () {
    const long = 'A'.repeat(100_000);
    const notJson = refusal(() => parseCardJson(long, 'long.json'));
    const hugeKey = refusal(() => parseCardJson(JSON.stringify({ spec: 'chara_card_v3', data: { name: 'x', creator_notes_multilingual: { [long]: 1 } } }), 'key.json'));
    for (const error of [notJson, hugeKey]) {
      const shown = JSON.stringify({ message: error.message, details: error.details });
      expect(shown).to.not.contain('A'.repeat(161));
      expect(shown.length).to.be.below(800);
    }
  });
});

describe('Feature: Character Cards are read from and written into PNG images', function () {
  it('reads the V2 and V3 PNG fixtures to the same cards as their JSON', function () {
    expect(readCardPng(v2Png, 'card-v2.png')).to.deep.equal(parseCardJson(v2Json, 'card-v2.json'));
    expect(readCardPng(v3Png, 'card-v3.png')).to.deep.equal(parseCardJson(v3Json, 'card-v3.json'));
  });

  it('round-trips JSON → PNG → JSON to an equal card, unknown extensions, data keys and top-level keys included', function () {
    for (const text of [v2Json, v3Json]) {
      const card = parseCardJson(text, 'fixture');
      const back = readCardPng(writeCardPng(card), 'written.png');
      expect(back).to.deep.equal(card);
      expect(JSON.parse(cardToJson(back))).to.deep.equal(JSON.parse(text));
    }
  });

  it('writes a V3 card as a ccv3 chunk and a V2 chara copy before IEND, and reads V3 when both are there', function () {
    const chunks = readChunks(v3Png, 'card-v3.png');
    expect(chunks.map((c) => c.type)).to.deep.equal(['IHDR', 'IDAT', 'tEXt', 'tEXt', 'IEND']);
    const texts = chunks.filter((c) => c.type === 'tEXt').map((c) => decodeTextChunk(c.data)?.keyword);
    expect(texts).to.have.members(['chara', 'ccv3']);
    expect(readCardPng(v3Png, 'card-v3.png').version).to.equal(3);
    // ccv3 after or before chara: V3 wins either way.
    const [ihdr, idat, first, second, iend] = chunks.map((c) => c.raw) as [Buffer, Buffer, Buffer, Buffer, Buffer];
    expect(readCardPng(png(ihdr, second, idat, first, iend), 'swapped.png').version).to.equal(3);
  });

  it('keeps a V2 copy in the chara chunk that old readers can use on their own', function () {
    const withoutV3 = png(...readChunks(v3Png, 'v3').filter((c) => decodeTextChunk(c.data)?.keyword !== 'ccv3').map((c) => c.raw));
    const v2 = readCardPng(withoutV3, 'chara-only.png');
    const v3 = parseCardJson(v3Json, 'card-v3.json');
    expect(v2.version).to.equal(2);
    expect(v2.spec).to.equal('chara_card_v2');
    expect(v2.data.name).to.equal(v3.data.name);
    expect(v2.data.description).to.equal(v3.data.description);
    expect(v2.data.extensions).to.deep.equal(v3.data.extensions);
    expect(v2.data.character_book).to.deep.equal(v3.data.character_book);
    expect(v2.data).to.not.have.property('group_only_greetings');
  });

  it('replaces the card chunks an image already has and keeps its other chunks', function () {
    const v2 = parseCardJson(v2Json, 'card-v2.json');
    const note = encodeTextChunk('Comment', 'made by hand');
    const [ihdr, idat, ...rest] = rawChunks(v3Png);
    const image = png(ihdr as Buffer, note, idat as Buffer, ...rest);
    const written = writeCardPng(v2, image);
    const chunks = readChunks(written, 'written.png');
    expect(chunks.map((c) => c.type)).to.deep.equal(['IHDR', 'tEXt', 'IDAT', 'tEXt', 'IEND']);
    expect(chunks[1]?.raw.equals(note)).to.equal(true);
    expect(readCardPng(written, 'written.png')).to.deep.equal(v2);
  });

  it('writes into a valid 1×1 image by default', function () {
    const chunks = readChunks(writeCardPng(parseCardJson(v2Json, 'card-v2.json')), 'written.png');
    const ihdr = chunks[0]?.data as Buffer;
    expect([ihdr.readUInt32BE(0), ihdr.readUInt32BE(4)]).to.deep.equal([1, 1]);
    const pixels = inflateSync(Buffer.concat(chunks.filter((c) => c.type === 'IDAT').map((c) => c.data)));
    expect(pixels.length, 'one filter byte and one RGBA pixel').to.equal(5);
  });

  it('refuses to write a hand-made card that would not read back, or into an image that is not a PNG', function () {
    const card = { ...parseCardJson(v2Json, 'card-v2.json'), data: { name: 5 } } as unknown as Card;
    expectRefusal(() => writeCardPng(card), 'data.name', /expected string/);
    expectRefusal(() => writeCardPng(parseCardJson(v2Json, 'v2'), Buffer.from('GIF89a')), 'signature', /not a PNG/);
  });

  it('tells card JSON and PNG bytes apart for callers detecting a format', function () {
    expect(isPng(v2Png)).to.equal(true);
    expect(isPng(Buffer.from(v2Json))).to.equal(false);
    expect(isCardJson(JSON.parse(v2Json))).to.equal(true);
    expect(isCardJson(JSON.parse(v3Json))).to.equal(true);
    for (const value of [null, [], 'chara_card_v2', { spec: 'chara_card_v2' }, { spec: 'other', data: {} }, { spec: 'chara_card_v3', data: [] }]) {
      expect(isCardJson(value), JSON.stringify(value)).to.equal(false);
    }
  });
});

describe('Feature: a malformed PNG is refused with a ValidationError naming what is wrong', function () {
  const [ihdr, idat, chara, ccv3, iend] = rawChunks(v3Png) as [Buffer, Buffer, Buffer, Buffer, Buffer];

  it('refuses a bad signature', function () {
    const bytes = Buffer.from(v2Png);
    bytes[1] = 0x51;
    expectRefusal(() => readCardPng(bytes, 'sig.png'), 'signature', /bad signature/);
  });

  it('refuses a truncated chunk, wherever the file is cut', function () {
    expectRefusal(() => readCardPng(v3Png.subarray(0, v3Png.length - 20), 'cut.png'), 'chunks.3', /truncated chunk at byte/);
    expectRefusal(() => readCardPng(png(ihdr, idat).subarray(0, 8 + ihdr.length + 5), 'cut.png'), 'chunks.1', /truncated chunk header/);
  });

  it('refuses a chunk whose CRC does not match, naming the chunk', function () {
    const bytes = Buffer.from(v2Png);
    const at = 8 + ihdr.length + 9; // inside IDAT's data
    bytes[at] = (bytes[at] as number) ^ 0x01;
    expectRefusal(() => readCardPng(bytes, 'crc.png'), 'chunks.1', /bad CRC in 'IDAT'/);
  });

  it('refuses a PNG without IEND', function () {
    expectRefusal(() => readCardPng(png(ihdr, idat, ccv3), 'no-end.png'), 'chunks.3', /missing IEND/);
  });

  it('refuses a chunk length over the cap before reading that far', function () {
    const huge = Buffer.from(idat);
    huge.writeUInt32BE(0xfffffff0, 0);
    expectRefusal(() => readCardPng(png(ihdr, huge, iend), 'huge.png'), 'chunks.1', /over the .*cap/);
  });

  it('refuses a file over MAX_IMPORT_BYTES (10 MB) without reading it', function () {
    expect(MAX_IMPORT_BYTES).to.equal(10 * 1024 * 1024);
    expectRefusal(() => readCardPng(Buffer.concat([v2Png, Buffer.alloc(MAX_IMPORT_BYTES)]), 'big.png'), '', /cap/);
  });

  it('refuses a first chunk other than IHDR and a chunk type that is not four letters, without echoing it', function () {
    expectRefusal(() => readCardPng(png(idat, ihdr, iend), 'order.png'), 'chunks.0', /IHDR/);
    const odd = Buffer.from(idat);
    odd.write('\u001b[2J', 4, 'latin1');
    const error = expectRefusal(() => readCardPng(png(ihdr, odd, iend), 'type.png'), 'chunks.1', /not four ASCII letters/);
    expect(error.message).to.not.contain('\u001b');
  });

  it('refuses a PNG with no card chunk', function () {
    expectRefusal(() => readCardPng(png(ihdr, idat, iend), 'plain.png'), 'chunks', /no 'ccv3' or 'chara'/);
  });

  it('refuses a card chunk that is not strict base64, not UTF-8, or not a card', function () {
    const withChara = (text: string): Buffer => png(ihdr, idat, encodeTextChunk('chara', text), iend);
    expectRefusal(() => readCardPng(withChara('not base64!'), 'b64.png'), 'chara', /not valid base64/);
    expectRefusal(() => readCardPng(withChara(b64('{}').slice(0, -1)), 'b64.png'), 'chara', /not valid base64/);
    expectRefusal(() => readCardPng(withChara(''), 'b64.png'), 'chara', /not valid base64/);
    expectRefusal(() => readCardPng(withChara(Buffer.from([0xff, 0xfe, 0x7b]).toString('base64')), 'utf8.png'), 'chara', /not UTF-8/);
    const notCard = expectRefusal(() => readCardPng(withChara(b64('{"spec": "chara_card_v2", "data": {"tags": "x"}}')), 'card.png'), 'data.tags', /expected array/);
    expect(notCard.message).to.contain('chara chunk');
    const bad3 = png(ihdr, idat, chara, encodeTextChunk('ccv3', b64('{"spec": "chara_card_v3"}')), iend);
    expectRefusal(() => readCardPng(bad3, 'v3.png'), 'data', /expected object/);
  });
});

/** A change to a PNG's bytes: a bit flip, a cut, or a chunk inserted (at a chunk boundary or anywhere). */
type Mutation =
  | { kind: 'flip'; at: number; bit: number }
  | { kind: 'truncate'; at: number }
  | { kind: 'insert'; at: number; onBoundary: boolean; chunk: Buffer };

const insertedChunk = fc.oneof(
  fc.record({ type: fc.constantFrom('tEXt', 'IDAT', 'IEND', 'IHDR', 'zzZz'), data: fc.uint8Array({ maxLength: 40 }) }).map(({ type, data }) => encodeChunk(type, Buffer.from(data))),
  fc.tuple(fc.constantFrom('chara', 'ccv3', 'CHARA'), fc.jsonValue({ maxDepth: 3 })).map(([keyword, value]) => encodeTextChunk(keyword, b64(JSON.stringify(value) ?? ''))),
  fc.uint8Array({ minLength: 1, maxLength: 24 }).map((bytes) => Buffer.from(bytes)),
);

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), bit: fc.integer({ min: 0, max: 7 }) }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), onBoundary: fc.boolean(), chunk: insertedChunk }),
);

/** Byte offsets where a chunk starts in a PNG, or could (after the signature). */
function boundaries(bytes: Buffer): number[] {
  const offsets = [8];
  let offset = 8;
  while (offset + 8 <= bytes.length) {
    offset += 12 + bytes.readUInt32BE(offset);
    if (offset > bytes.length) break;
    offsets.push(offset);
  }
  return offsets;
}

function mutate(bytes: Buffer, change: Mutation): Buffer {
  if (bytes.length === 0) return bytes;
  if (change.kind === 'truncate') return bytes.subarray(0, change.at % bytes.length);
  if (change.kind === 'flip') {
    const out = Buffer.from(bytes);
    const at = change.at % out.length;
    out[at] = (out[at] as number) ^ (1 << change.bit);
    return out;
  }
  const places = change.onBoundary ? boundaries(bytes) : [change.at % (bytes.length + 1)];
  const at = places[change.at % places.length] as number;
  return Buffer.concat([bytes.subarray(0, at), change.chunk, bytes.subarray(at)]);
}

/** Runs `read`; an error other than a ValidationError fails the property. */
function readOrRefuse<T>(read: () => T): T | ValidationError {
  try {
    return read();
  } catch (error) {
    if (error instanceof ValidationError) return error;
    throw error;
  }
}

const text = fc.string({ unit: 'binary', maxLength: 40 });
const safeKey = fc.string({ maxLength: 12 }).filter((k) => !['__proto__', 'constructor', 'prototype'].includes(k));

/** Card-shaped JSON, right or wrong, so that the schema (not only the JSON parser) is exercised. */
const cardLike = fc.record(
  {
    spec: fc.constantFrom<unknown>('chara_card_v2', 'chara_card_v3', 'chara_card_v1', 2, null),
    spec_version: fc.oneof(fc.constant('2.0'), fc.jsonValue({ maxDepth: 1 })),
    data: fc.oneof(fc.jsonValue({ maxDepth: 2 }), fc.dictionary(fc.constantFrom(...V3_DATA_KEYS, 'x_extra'), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 8 })),
  },
  { requiredKeys: [] },
);

/** Valid V2 or V3 cards with any text, any extension keys and unknown data keys. */
const validCard = fc.record({
  spec: fc.constantFrom('chara_card_v2', 'chara_card_v3'),
  data: fc.record({
    name: text,
    description: text,
    first_mes: text,
    tags: fc.array(text, { maxLength: 3 }),
    extensions: fc.dictionary(safeKey, fc.jsonValue({ maxDepth: 3 }), { maxKeys: 4 }),
    x_unknown: fc.jsonValue({ maxDepth: 2 }),
  }),
});

describe('Feature: no input makes the card readers throw anything but a ValidationError', function () {
  it('readCardPng on the fixture PNGs mutated by bit flips, cuts and inserted chunks only ever returns a card or throws a ValidationError, and unmutated ones always parse (fast-check, 300 runs)', function () {
    const expected = { v2: parseCardJson(v2Json, 'v2'), v3: parseCardJson(v3Json, 'v3') };
    fc.assert(
      fc.property(fc.constantFrom('v2' as const, 'v3' as const), fc.array(mutation, { maxLength: 4 }), (which, changes) => {
        const bytes = changes.reduce(mutate, which === 'v2' ? v2Png : v3Png);
        const result = readOrRefuse(() => readCardPng(bytes, 'fuzz.png'));
        if (changes.length === 0) expect(result).to.deep.equal(expected[which]);
      }),
      { numRuns: 300, seed: 20260601 },
    );
  });

  it('parseCardJson on random text and JSON values only ever returns a card or throws a ValidationError, and a card it returns writes back to itself (fast-check, 300 runs)', function () {
    const input = fc.oneof(fc.string({ unit: 'binary', maxLength: 60 }), fc.jsonValue().map((v) => JSON.stringify(v) ?? ''), cardLike.map((v) => JSON.stringify(v)));
    fc.assert(
      fc.property(input, (json) => {
        const result = readOrRefuse(() => parseCardJson(json, 'fuzz.json'));
        if (!(result instanceof ValidationError)) expect(parseCardJson(cardToJson(result), 'again')).to.deep.equal(result);
      }),
      { numRuns: 300, seed: 20260602 },
    );
  });

  it('any valid card, whatever its text and extensions, reads back equal from the PNG it was written to (fast-check, 200 runs)', function () {
    fc.assert(
      fc.property(validCard, (value) => {
        const json = JSON.stringify(value);
        const card = parseCardJson(json, 'generated.json');
        expect(card.unknownData).to.deep.equal({ x_unknown: (JSON.parse(json) as typeof value).data.x_unknown });
        expect(readCardPng(writeCardPng(card), 'generated.png')).to.deep.equal(card);
      }),
      { numRuns: 200, seed: 20260603 },
    );
  });
});
