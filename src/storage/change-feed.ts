import type { RecordKind } from '../domain/record';

/** A record that was created, updated or deleted, and the collection file revision that carries the change. */
export interface ChangeEvent {
  kind: RecordKind;
  id: string;
  change: 'created' | 'updated' | 'deleted';
  /** The record's version after the change (before it, for a delete). */
  version: number;
  /** The collection file's revision once the change was written. */
  revision: number;
}

/** A subscription to stop. */
export interface Disposable {
  dispose(): void;
}

/** Change events of one kind, whoever made the change: this process or another using the same data folder. */
export type ChangeListener = (event: ChangeEvent) => void;

/** Notices changes to the collections, made here or by other processes, and tells listeners. */
export interface IChangeFeed {
  /** Listens to changes of one kind; the feed watches the files while anyone listens. */
  subscribe(kind: RecordKind, listener: ChangeListener): Disposable;
  /** Looks for changes now (the configuration service calls this after each change it makes). */
  check(): Promise<void>;
  /**
   * Resolves once every listener subscribed so far knows what the store held when it subscribed: a store awaits it
   * before a change, so the change is reported to them however fast it lands.
   */
  settled(): Promise<void>;
}

/** Injection token for the change feed. */
export const IChangeFeed = Symbol.for('agentcfg.IChangeFeed');

/** How often the files are looked at while someone listens. */
export const ChangeFeedInterval = Symbol.for('agentcfg.ChangeFeedInterval');
