import { RECORD_KINDS, type RecordKind } from '../domain/kinds/registry';
import type { CollectionSnapshot } from './collection-file';
import type { ChangeEvent, ChangeListener, Disposable, IChangeFeed } from './change-feed';

interface Seen {
  revision: number;
  versions: Map<string, number>;
}

/**
 * Compares each collection with what it last saw (ids and versions), at an interval while anyone listens and
 * whenever asked. For the file store, reads are cheap when nothing changed: unchanged files are served from memory.
 */
export class PollingChangeFeed implements IChangeFeed {
  private readonly listeners = new Map<RecordKind, Set<ChangeListener>>();
  private readonly seen = new Map<RecordKind, Seen>();
  private timer: NodeJS.Timeout | undefined;
  private checking: Promise<void> | undefined;
  /** The look that takes a first listener's baseline, while it runs. */
  private baselining: Promise<void> | undefined;

  constructor(
    /** A collection as it is now, with a revision that changes whenever it does. */
    private readonly read: (kind: RecordKind) => Promise<CollectionSnapshot<{ id: string; version: number }>>,
    private readonly intervalMs: number,
  ) {}

  subscribe(kind: RecordKind, listener: ChangeListener): Disposable {
    // A first listener starts from what is on disk now, not from what was seen while nobody listened.
    if (!this.listening()) this.seen.clear();
    const set = this.listeners.get(kind) ?? new Set<ChangeListener>();
    set.add(listener);
    this.listeners.set(kind, set);
    this.baselining = this.baseline().catch(() => undefined);
    this.timer ??= setInterval(() => void this.check().catch(() => undefined), this.intervalMs);
    return {
      dispose: () => {
        set.delete(listener);
        if (!this.listening() && this.timer) {
          clearInterval(this.timer);
          this.timer = undefined;
        }
      },
    };
  }

  async check(): Promise<void> {
    if (!this.listening()) return;
    // One look at a time, so an event is never reported twice.
    this.checking = (this.checking ?? Promise.resolve()).then(() => this.look());
    return this.checking;
  }

  settled(): Promise<void> {
    return this.baselining ?? Promise.resolve();
  }

  private listening(): boolean {
    return [...this.listeners.values()].some((s) => s.size > 0);
  }

  private async baseline(): Promise<void> {
    if (this.seen.size === 0) await this.check();
  }

  private async look(): Promise<void> {
    for (const kind of RECORD_KINDS) {
      const snapshot = await this.read(kind);
      const previous = this.seen.get(kind);
      const versions = new Map(snapshot.items.map((r) => [r.id, r.version]));
      this.seen.set(kind, { revision: snapshot.revision, versions });
      if (!previous || previous.revision === snapshot.revision) continue;
      const events: ChangeEvent[] = [];
      for (const [id, version] of versions) {
        const before = previous.versions.get(id);
        if (before === undefined) events.push({ kind, id, change: 'created', version, revision: snapshot.revision });
        else if (before !== version) events.push({ kind, id, change: 'updated', version, revision: snapshot.revision });
      }
      for (const [id, version] of previous.versions) {
        if (!versions.has(id)) events.push({ kind, id, change: 'deleted', version, revision: snapshot.revision });
      }
      for (const event of events) this.listeners.get(kind)?.forEach((listener) => listener(event));
    }
  }
}
