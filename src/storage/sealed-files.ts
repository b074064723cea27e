import type { Stats } from 'node:fs';
import type { ILogger } from '../logging/logger';
import { decodeCollection, decodeSealedCollection, type DecodeResult } from './collection-file';
import { decodeSeal, encodeSeal, sealHolds, sealOf, type CollectionSeal } from './collection-seal';
import type { CollectionSpec } from './collection-specs';
import { confine } from './confined-path';
import type { IFileSystem } from './file-system';
import type { StoredText } from './stored-file';

/**
 * The seals of one data folder's large collection files (see CollectionSeal): decoding a file without checking its
 * records again when its seal holds, and sealing a file just written when every record in it is known to pass the
 * schema. It remembers which records are known to: read through a full check or a seal, or checked when written.
 */
export class SealedFiles {
  private readonly checked = new WeakSet<object>();

  constructor(
    private readonly fs: IFileSystem,
    private readonly dataDir: string,
    /** Files smaller than this are neither sealed nor looked up: they decode fast enough in full. */
    private readonly minBytes: number,
    private readonly logger: ILogger,
  ) {}

  /** Decodes a collection file: trusting a holding seal when `trustSeal`, in full otherwise. */
  async decode(path: string, file: StoredText, spec: CollectionSpec, trustSeal: boolean): Promise<DecodeResult> {
    const seal = trustSeal && file.stat.size >= this.minBytes ? await this.read(path) : null;
    const decoded = seal && sealHolds(seal, file.stat, spec) ? decodeSealedCollection(file.text, spec, seal.checksum) : decodeCollection(file.text, spec);
    if (decoded.status !== 'corrupt') for (const item of decoded.snapshot.items) this.checked.add(item as object);
    return decoded;
  }

  /**
   * Seals a file just written (`stat` taken after its rename) when every record in it is known to pass the schema
   * and no id repeats. Not synced: a seal lost or left stale only costs a full check.
   */
  async sealWritten(path: string, stat: Stats, checksum: string, spec: CollectionSpec, items: readonly unknown[]): Promise<void> {
    if (stat.size < this.minBytes || !this.allChecked(spec, items)) return;
    const seal = sealOf(stat, checksum, spec);
    if (!seal) return;
    try {
      await this.fs.overwrite(await confine(this.dataDir, sealPathOf(path)), encodeSeal(seal));
    } catch (error) {
      this.logger.warn({ err: error, file: path }, 'could not seal the collection file; the next open checks it in full');
    }
  }

  private async read(path: string): Promise<CollectionSeal | null> {
    try {
      return decodeSeal(await this.fs.readFile(await confine(this.dataDir, sealPathOf(path)), 'utf8'));
    } catch {
      return null; // absent, unreadable or leading out of the folder: the file is checked in full
    }
  }

  /** Whether every record passes the schema (checking those not known to) and no id repeats. */
  private allChecked(spec: CollectionSpec, items: readonly unknown[]): boolean {
    const ids = new Set<string>();
    for (const item of items) {
      if (typeof item !== 'object' || item === null) return false;
      if (!this.checked.has(item)) {
        if (!spec.schema.safeParse(item).success) return false;
        this.checked.add(item);
      }
      const { id } = item as { id: string };
      if (ids.has(id)) return false;
      ids.add(id);
    }
    return true;
  }
}

/** Where a collection file's seal is kept: beside it. */
function sealPathOf(path: string): string {
  return `${path}.seal`;
}
