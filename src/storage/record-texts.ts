import { createHash } from 'node:crypto';
import { deepFreeze } from '../domain/deep-freeze';
import { canonicalJsonOfEach } from '../domain/canonical-json';

/** The two texts a collection file needs of a record. */
interface RecordTexts {
  canonical: string;
  /** As JSON.stringify(file, null, 2) writes it as an item of the file's array: indented four spaces. */
  indented: string;
}

/** What a collection file needs of its records: the checksum of their canonical form, and the indented array. */
export interface EncodedRecords {
  checksum: string;
  /** The array as JSON.stringify(file, null, 2) writes it as a property of the file. */
  array: string;
}

/** The texts of records, computed together (one walk for the keys of all). */
function textsOfEach(records: readonly unknown[]): RecordTexts[] {
  const canonical = canonicalJsonOfEach(records);
  // Wrapped two arrays deep, the record comes out indented as the file's items are; the slice is a flat string,
  // which joins three times faster than "    " + text.
  return records.map((record, index) => ({ canonical: canonical[index] as string, indented: (JSON.stringify([[record]], null, 2) as string).slice(6, -6) }));
}

/**
 * The texts of one collection's records, kept from one write to the next, so a write encodes and checksums only the
 * records it changed: at 10,000 records, encoding every record again was most of a write's time. A record is
 * deep-frozen before its texts are kept, so they cannot go stale; the records written (and handed out after) are
 * frozen objects. Hand-written: the checksum's definition (sha256 of the canonical array) is the product's own.
 */
export class RecordTextCache {
  private kept = new Map<object, RecordTexts>();

  /**
   * Computes and keeps the texts of the records not kept yet, `slice` records at a time, letting other work run
   * between slices: a compaction encoding a collection it has not written before would otherwise hold the event
   * loop (and so every writer of this process) for the whole collection. The next encode then only assembles.
   */
  async warm(items: readonly unknown[], slice = 500): Promise<void> {
    const missing = items.filter((item): item is object => isObject(item) && !this.kept.has(item));
    for (let start = 0; start < missing.length; start += slice) {
      const records = missing.slice(start, start + slice).map(deepFreeze);
      textsOfEach(records).forEach((texts, index) => this.kept.set(records[index] as object, texts));
      await new Promise((resolve) => setImmediate(resolve));
    }
  }

  /** Exactly checksumOf(items) and the array of JSON.stringify(file, null, 2), from kept texts where there are. */
  encode(items: readonly unknown[]): EncodedRecords {
    const next = new Map<object, RecordTexts>();
    const kept = items.map((item) => (isObject(item) ? this.kept.get(item) : undefined));
    const missing = items.filter((_, index) => kept[index] === undefined).map((item) => (isObject(item) ? deepFreeze(item) : item));
    const computed = textsOfEach(missing);
    let nextComputed = 0;
    const all = items.map((item, index) => {
      const texts = kept[index] ?? (computed[nextComputed++] as RecordTexts);
      if (isObject(item)) next.set(item, texts);
      return texts;
    });
    this.kept = next;
    const hash = createHash('sha256').update('[');
    all.forEach(({ canonical }, index) => hash.update(index === 0 ? canonical : `,${canonical}`));
    const array = all.length === 0 ? '[]' : `[\n${all.map((texts) => texts.indented).join(',\n')}\n  ]`;
    return { checksum: `sha256:${hash.update(']').digest('hex')}`, array };
  }
}

function isObject(value: unknown): value is object {
  return typeof value === 'object' && value !== null;
}
