import { parseImportFile } from '../json-text';

/** Parses one settings file's text (size-capped, a leading BOM allowed), or throws a ValidationError. */
export function parseFishbowlJson(text: string, source: string): unknown {
  return parseImportFile(text, source);
}
