// Hand-written rather than a dependency: a PNG is a signature and length/type/data/CRC chunks, and node:zlib's
// crc32 (Node 20.15+; the project needs 20.19) does the checksum. The image data itself is never decoded.
import { crc32 } from 'node:zlib';
import type { ErrorDetail } from '../../domain/errors/agentcfg-error';
import { cardError } from './card-error';
import { MAX_IMPORT_BYTES } from './limits';

export const PNG_SIGNATURE: Buffer = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** One chunk: its type, its data, and its bytes whole (length to CRC) to copy unchanged when rewriting. */
export interface PngChunk {
  type: string;
  data: Buffer;
  raw: Buffer;
}

/** A tEXt chunk's content: a Latin-1 keyword, a NUL, Latin-1 text. */
export interface PngText {
  keyword: string;
  text: string;
}

/** True when `bytes` starts with the PNG signature. */
export function hasPngSignature(bytes: Buffer): boolean {
  return bytes.length >= PNG_SIGNATURE.length && bytes.subarray(0, PNG_SIGNATURE.length).equals(PNG_SIGNATURE);
}

/** Chunk types are four ASCII letters; checked so a type can be printed safely in errors. */
function isChunkType(bytes: Buffer): boolean {
  return [...bytes].every((b) => (b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a));
}

function refuse(source: string, detail: ErrorDetail): never {
  throw cardError(source, 'malformed PNG', [detail]);
}

/**
 * Every chunk of a PNG up to IEND, each checked: length within the file and the cap, type, CRC. Refuses (with a
 * ValidationError) a file over the cap, a bad signature, a first chunk other than IHDR, and a missing IEND.
 * Bytes after IEND are ignored, as image readers do.
 */
export function readChunks(bytes: Buffer, source: string): PngChunk[] {
  if (bytes.length > MAX_IMPORT_BYTES) refuse(source, { path: '', message: `larger than the ${MAX_IMPORT_BYTES}-byte cap` });
  if (!hasPngSignature(bytes)) refuse(source, { path: 'signature', message: 'not a PNG (bad signature)' });
  const chunks: PngChunk[] = [];
  let offset = PNG_SIGNATURE.length;
  for (let index = 0; ; index++) {
    const path = `chunks.${index}`;
    if (offset === bytes.length) refuse(source, { path, message: 'missing IEND chunk (the file ends early)' });
    if (offset + 8 > bytes.length) refuse(source, { path, message: `truncated chunk header at byte ${offset}` });
    const length = bytes.readUInt32BE(offset);
    if (length > MAX_IMPORT_BYTES) refuse(source, { path, message: `chunk length ${length} is over the ${MAX_IMPORT_BYTES}-byte cap` });
    const end = offset + 12 + length;
    if (end > bytes.length) refuse(source, { path, message: `truncated chunk at byte ${offset}: declares ${length} data bytes, the file ends first` });
    const typeBytes = bytes.subarray(offset + 4, offset + 8);
    if (!isChunkType(typeBytes)) refuse(source, { path, message: `chunk type at byte ${offset + 4} is not four ASCII letters` });
    const type = typeBytes.toString('latin1');
    if (crc32(bytes.subarray(offset + 4, end - 4)) !== bytes.readUInt32BE(end - 4)) {
      refuse(source, { path, message: `bad CRC in '${type}' chunk at byte ${offset}` });
    }
    if (index === 0 && (type !== 'IHDR' || length !== 13)) refuse(source, { path, message: 'first chunk is not a 13-byte IHDR' });
    chunks.push({ type, data: bytes.subarray(offset + 8, end - 4), raw: bytes.subarray(offset, end) });
    if (type === 'IEND') return chunks;
    offset = end;
  }
}

/** One chunk's bytes: length, type, data, CRC of type and data. */
export function encodeChunk(type: string, data: Buffer): Buffer {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'latin1');
  data.copy(out, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

/** A tEXt chunk holding `text` under `keyword` (both Latin-1). */
export function encodeTextChunk(keyword: string, text: string): Buffer {
  return encodeChunk('tEXt', Buffer.concat([Buffer.from(keyword, 'latin1'), Buffer.from([0]), Buffer.from(text, 'latin1')]));
}

/** A tEXt chunk's keyword and text, or null when it has no keyword (1–79 bytes, then NUL). */
export function decodeTextChunk(data: Buffer): PngText | null {
  const nul = data.indexOf(0);
  if (nul < 1 || nul > 79) return null;
  return { keyword: data.subarray(0, nul).toString('latin1'), text: data.subarray(nul + 1).toString('latin1') };
}
