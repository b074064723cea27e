import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseJournal, type JournalEntry } from '../../src/domain/workflow/journal-entry';

/** The entries of a workflow's journal, read from disk. */
export async function readJournal(dataDir: string, workflowId: string): Promise<JournalEntry[]> {
  return parseJournal(await readFile(join(dataDir, 'workflows', `${workflowId}.jsonl`), 'utf8')).entries;
}

/** Step ids in the order their undo completed. */
export function compensationOrder(entries: readonly JournalEntry[]): string[] {
  return entries.filter((e) => e.event === 'compensation.completed').map((e) => String(e.data.stepId));
}

/** Step ids in the order their intents were journaled (the order the steps started). */
export function intentOrder(entries: readonly JournalEntry[]): string[] {
  return entries.filter((e) => e.event === 'step.intent').map((e) => String(e.data.stepId));
}

/** The statuses the workflow passed through, in order. */
export function statusTrail(entries: readonly JournalEntry[]): string[] {
  return entries.filter((e) => e.event === 'workflow.status').map((e) => String(e.data.status));
}
