import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { AuditEntry } from '../../src/audit/audit-entry';
import { RECORD_KINDS } from '../../src/domain/kinds/registry';
import type { JournalEntry } from '../../src/domain/workflow/journal-entry';
import { IRecordStore } from '../../src/storage/record-store';
import { readAuditEntries, readAuditLines } from './audit-log';
import { hashConfigFiles, hashTree } from './disk';
import { readJournal } from './journals';
import type { TestContainer } from './test-container';

// What a test reads back from the store under a test container, whichever store it is: on the file store exactly
// what the folder holds (as the file-only helpers read it), on PostgreSQL what the database holds, through the
// storage port or an admin's view of the service.

const store = (env: TestContainer): IRecordStore => env.container.get<IRecordStore>(IRecordStore);

/** Every audit entry, oldest first: the folder's audit log, or the database's audit trail read by an admin. */
export async function auditEntriesOf(env: TestContainer): Promise<AuditEntry[]> {
  if (env.store === 'file') return readAuditEntries(env.dataDir);
  return env.configuration.as({ actor: 'test-reader', access: 'admin' }).auditEntries();
}

/** The audit trail as stored, oldest first: the folder's audit log line by line, or each entry of the database's trail as JSON. */
export async function auditLinesOf(env: TestContainer): Promise<string[]> {
  if (env.store === 'file') return readAuditLines(env.dataDir);
  return (await auditEntriesOf(env)).map((entry) => JSON.stringify(entry));
}

/** The entries of a workflow's journal (rejected when there is none, as reading a missing file is). */
export async function journalOf(env: TestContainer, workflowId: string): Promise<JournalEntry[]> {
  if (env.store === 'file') return readJournal(env.dataDir, workflowId);
  const journal = await store(env).journals.read(workflowId);
  if (!journal) throw new Error(`workflow ${workflowId} has no journal in ${store(env).location}`);
  return [...journal.entries];
}

/** What journals there are: the names in the folder's workflows/ (none when it is absent), or the database's workflow ids. */
export async function journalsOf(env: TestContainer): Promise<string[]> {
  if (env.store === 'file') return readdir(join(env.dataDir, 'workflows')).catch(() => [] as string[]);
  return store(env).journals.list();
}

/** The ids of the workflows that have a journal: the folder's workflows/*.jsonl (none when it is absent), or the database's. */
export async function workflowIdsOf(env: TestContainer): Promise<string[]> {
  if (env.store === 'file') return (await journalsOf(env)).filter((name) => name.endsWith('.jsonl')).map((name) => name.slice(0, -'.jsonl'.length));
  return store(env).journals.list();
}

/**
 * What "nothing changed" is checked against: the sha256 of every file under the folder's config/ (records,
 * history, backups), or every stored record of every kind and its history, from the database.
 */
export async function storedRecords(env: TestContainer): Promise<Record<string, unknown>> {
  if (env.store === 'file') return hashConfigFiles(env.dataDir);
  const stored: Record<string, unknown> = {};
  for (const kind of RECORD_KINDS) {
    const records = await store(env).records(kind);
    stored[kind] = await Promise.all(records.map(async (record) => ({ record, history: await store(env).history(kind, record.id) })));
  }
  return stored;
}

/**
 * Everything a refused request must leave as it was: on the file store the sha256 of every file under config/ and
 * workflows/ (links recorded, not followed), on PostgreSQL every stored record and its history (storedRecords) and
 * every workflow's journal entries.
 */
export async function storeContents(env: TestContainer): Promise<Record<string, Record<string, unknown>>> {
  if (env.store === 'file') return { config: await hashTree(join(env.dataDir, 'config')), workflows: await hashTree(join(env.dataDir, 'workflows')) };
  const journals: Record<string, unknown> = {};
  for (const id of (await store(env).journals.list()).sort()) journals[id] = await journalOf(env, id);
  return { records: await storedRecords(env), journals };
}
