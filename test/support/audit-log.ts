import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { AuditEntry } from '../../src/audit/audit-entry';

/** The audit log of a data folder. */
export function auditLogPath(dataDir: string): string {
  return join(dataDir, 'logs', 'audit.jsonl');
}

/** The audit log's lines as written (the text after the last line end, if any, is the last element). */
export async function readAuditLines(dataDir: string): Promise<string[]> {
  const text = await readFile(auditLogPath(dataDir), 'utf8').catch(() => '');
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/** Every entry of the audit log, read from disk (not through the service, which needs the right to read it). */
export async function readAuditEntries(dataDir: string): Promise<AuditEntry[]> {
  return (await readAuditLines(dataDir)).map((line) => JSON.parse(line) as AuditEntry);
}
