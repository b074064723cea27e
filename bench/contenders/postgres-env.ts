import { Client } from 'pg';
import { POSTGRES_ENV } from '../contender';

/** The database the runner made for this worker's contender and size (see POSTGRES_ENV). */
export function postgresUrls(): { url: string; ownerUrl: string } {
  const url = process.env[POSTGRES_ENV.url];
  const ownerUrl = process.env[POSTGRES_ENV.ownerUrl];
  if (!url || !ownerUrl) throw new Error(`a PostgreSQL contender needs ${POSTGRES_ENV.url} and ${POSTGRES_ENV.ownerUrl} (the runner sets them)`);
  return { url, ownerUrl };
}

/** Runs `work` on a connection of its own, ended afterwards. */
export async function withClient<T>(url: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
