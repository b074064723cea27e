import { parseCardJson, type Card } from './card';
import { cardError } from './card-error';
import { cardToJson, toV2Card } from './card-json';
import { MAX_IMPORT_BYTES } from './limits';
import { PNG_SIGNATURE, decodeTextChunk, encodeTextChunk, readChunks, type PngChunk } from './png-chunks';

export { MAX_IMPORT_BYTES } from './limits';

/** A valid 1×1 transparent RGBA PNG, the image a card gets when none is given. */
const BLANK_PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAAC0lEQVR42mNgAAIAAAUAAen63NgAAAAASUVORK5CYII=', 'base64');

/** Card chunk keywords, V3 first: when a PNG has both, V3 wins. Matched case-insensitively, as SillyTavern does. */
const CARD_KEYWORDS = ['ccv3', 'chara'] as const;

function cardKeyword(chunk: PngChunk): string | null {
  if (chunk.type !== 'tEXt') return null;
  const keyword = decodeTextChunk(chunk.data)?.keyword.toLowerCase();
  return keyword !== undefined && (CARD_KEYWORDS as readonly string[]).includes(keyword) ? keyword : null;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** A chunk's text as the card JSON: strict base64 (canonical, padded) of strict UTF-8. */
function decodeCardText(text: string, source: string, keyword: string): string {
  const bytes = Buffer.from(text, 'base64');
  // Node's decoder skips characters it does not know; re-encoding shows whether the text was base64 as written.
  if (text.length === 0 || bytes.toString('base64') !== text) {
    throw cardError(source, 'invalid character card', [{ path: keyword, message: `'${keyword}' chunk is not valid base64` }]);
  }
  try {
    return utf8.decode(bytes);
  } catch {
    throw cardError(source, 'invalid character card', [{ path: keyword, message: `'${keyword}' chunk is not UTF-8 text` }]);
  }
}

/** Reads the character card in a PNG (its `ccv3` chunk, else its `chara` chunk); `source` names the file in errors. */
export function readCardPng(bytes: Buffer, source: string): Card {
  const chunks = readChunks(bytes, source);
  for (const keyword of CARD_KEYWORDS) {
    const chunk = chunks.find((c) => cardKeyword(c) === keyword);
    const text = chunk && decodeTextChunk(chunk.data)?.text;
    if (text !== undefined) return parseCardJson(decodeCardText(text, source, keyword), `${source} (${keyword} chunk)`);
  }
  throw cardError(source, 'no character card', [{ path: 'chunks', message: "no 'ccv3' or 'chara' tEXt chunk" }]);
}

function base64Json(json: string): string {
  return Buffer.from(json, 'utf8').toString('base64');
}

/**
 * The card written into `image` (a 1×1 blank by default): existing card chunks are dropped, and the new ones go
 * just before IEND — for a V3 card both `ccv3` and a V2 `chara` copy, for old readers. The card is checked first,
 * so what is written always reads back.
 */
export function writeCardPng(card: Card, image: Buffer = BLANK_PNG): Buffer {
  const checked = parseCardJson(cardToJson(card), 'card to write');
  const chunks = readChunks(image, 'image').filter((c) => cardKeyword(c) === null);
  const cardChunks = [encodeTextChunk('chara', base64Json(checked.version === 3 ? JSON.stringify(toV2Card(checked)) : cardToJson(checked)))];
  if (checked.version === 3) cardChunks.push(encodeTextChunk('ccv3', base64Json(cardToJson(checked))));
  const iend = chunks.length - 1; // readChunks ends at IEND
  const out = Buffer.concat([PNG_SIGNATURE, ...chunks.slice(0, iend).map((c) => c.raw), ...cardChunks, ...chunks.slice(iend).map((c) => c.raw)]);
  if (out.length > MAX_IMPORT_BYTES) {
    throw cardError('card to write', 'card PNG too large', [{ path: '', message: `larger than the ${MAX_IMPORT_BYTES}-byte cap` }]);
  }
  return out;
}
