import { Client } from 'pg';
import type { RecordKind } from '../../domain/record';
import type { ChangeListener, Disposable, IChangeFeed } from '../change-feed';

/** The channel every commit that changes records notifies, with the kinds it changed. */
export const CHANGES_CHANNEL = 'agentcfg_changes';

/**
 * A change feed woken by PostgreSQL's LISTEN/NOTIFY: while anyone listens, one connection of its own listens on
 * CHANGES_CHANNEL, and each notification (sent when a commit of any process, on any machine, changes records)
 * makes the feed look at once. The looking itself, and a slow interval as a fallback for a notification lost with
 * a dropped connection, are the inner feed's.
 */
export class ListeningChangeFeed implements IChangeFeed {
  private listeners = 0;
  private connection: Promise<Client | null> | null = null;

  constructor(
    private readonly inner: IChangeFeed,
    private readonly url: string,
  ) {}

  subscribe(kind: RecordKind, listener: ChangeListener): Disposable {
    const subscription = this.inner.subscribe(kind, listener);
    this.listeners++;
    this.connection ??= this.listen();
    let disposed = false;
    return {
      dispose: () => {
        if (disposed) return;
        disposed = true;
        subscription.dispose();
        if (--this.listeners === 0) void this.stop();
      },
    };
  }

  settled(): Promise<void> {
    return this.inner.settled();
  }

  check(): Promise<void> {
    return this.inner.check();
  }

  private async listen(): Promise<Client | null> {
    const client = new Client({ connectionString: this.url });
    // A lost connection only costs the wake-ups: the inner feed's interval still finds the changes.
    client.on('error', () => {
      this.connection = null;
    });
    client.on('notification', () => void this.inner.check().catch(() => undefined));
    try {
      await client.connect();
      await client.query(`LISTEN ${CHANGES_CHANNEL}`);
      return client;
    } catch {
      await client.end().catch(() => undefined);
      this.connection = null;
      return null;
    }
  }

  private async stop(): Promise<void> {
    const connection = this.connection;
    this.connection = null;
    const client = await connection;
    await client?.end().catch(() => undefined);
  }
}
