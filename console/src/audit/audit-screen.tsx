import { useEffect, useState } from 'preact/hooks';
import { useChangeEvents } from '../events';
import { api, type Principal } from '../api';
import { ErrorReport } from '../common/error-report';

/** One audit entry (src/audit/audit-entry.ts), the fields the trail shows. */
interface AuditEntry {
  seq: number;
  at: string;
  actor: string;
  action: string;
  target?: { kind: string; id: string };
  workflowId?: string;
  outcome: string;
  versionBefore?: number | null;
  versionAfter?: number | null;
  reason?: string;
}

/** The chain's check (GET /api/v1/audit/verify). */
interface AuditVerification {
  ok: boolean;
  entries: number;
  badLine?: number;
  problem?: string;
}

type Filter = Record<'actor' | 'target' | 'since', string>;

const FILTER_FIELDS = [
  { key: 'actor', label: 'Actor', hint: 'exactly, e.g. console-admin' },
  { key: 'target', label: 'Target', hint: 'kind:id, an id, or a workflow id' },
  { key: 'since', label: 'Since', hint: 'an ISO 8601 date or time, e.g. 2026-11-24' },
] as const;

/** The audit screen: admins see the trail, filtered, and whether its hash chain verifies; others are told it is for admins. */
export function AuditScreen({ principal }: { principal: Principal }) {
  if (principal.access !== 'admin') {
    return (
      <main class="single">
        <h2>Audit</h2>
        <p>The audit trail is for admins only.</p>
      </main>
    );
  }
  return <AuditTrail />;
}

function AuditTrail() {
  const [filter, setFilter] = useState<Filter>({ actor: '', target: '', since: '' });
  const [entries, setEntries] = useState<AuditEntry[] | null>(null);
  const [verification, setVerification] = useState<AuditVerification | null>(null);
  const [error, setError] = useState<Error | null>(null);

  const load = (applied: Filter) => {
    const query = new URLSearchParams(Object.entries(applied).filter(([, v]) => v.trim() !== '')).toString();
    setError(null);
    api<AuditEntry[]>(`/audit${query ? `?${query}` : ''}`).then(setEntries, (e: Error) => setError(e));
    api<AuditVerification>('/audit/verify').then(setVerification, (e: Error) => setError(e));
  };
  // The filter last applied: a change made anywhere (every write is audited) reloads the trail with it.
  const [applied, setApplied] = useState<Filter>(filter);
  useEffect(() => load(filter), []);
  useChangeEvents(() => load(applied));

  const apply = (event: Event) => {
    event.preventDefault();
    setApplied(filter);
    load(filter);
  };

  return (
    <main class="single">
      <h2>Audit</h2>
      <p role="status" data-testid="chain-status" class={verification && !verification.ok ? 'error' : undefined}>
        {!verification
          ? 'Checking the chain…'
          : verification.ok
            ? `Chain verified: ${verification.entries} entries.`
            : `Chain broken at line ${verification.badLine ?? '?'}: ${verification.problem ?? 'a bad entry'}.`}
      </p>
      <form class="filters" onSubmit={apply} aria-label="Filter the trail">
        {FILTER_FIELDS.map((field) => (
          <div key={field.key}>
            <label for={`audit-${field.key}`}>{field.label}</label>
            <input id={`audit-${field.key}`} aria-describedby={`audit-${field.key}-hint`} value={filter[field.key]} onInput={(e) => setFilter({ ...filter, [field.key]: e.currentTarget.value })} />
            <small id={`audit-${field.key}-hint`} class="note">
              {field.hint}
            </small>
          </div>
        ))}
        <div class="actions">
          <button type="submit">Filter</button>
        </div>
      </form>
      {error && <ErrorReport error={error} />}
      {entries && (
        <div class="table-scroll">
          <table>
            <caption>{entries.length === 1 ? '1 entry' : `${entries.length} entries`}, oldest first</caption>
            <thead>
              <tr>
                <th scope="col">#</th>
                <th scope="col">At</th>
                <th scope="col">Actor</th>
                <th scope="col">Action</th>
                <th scope="col">Target</th>
                <th scope="col">Outcome</th>
                <th scope="col">Version</th>
              </tr>
            </thead>
            <tbody>
              {entries.map((entry) => (
                <tr key={entry.seq}>
                  <td>{entry.seq}</td>
                  <td>{entry.at}</td>
                  <td>{entry.actor}</td>
                  <td>{entry.action}</td>
                  <td>{entry.target ? `${entry.target.kind}:${entry.target.id}` : (entry.workflowId ?? '')}</td>
                  <td>
                    {entry.outcome}
                    {entry.reason ? ` (${entry.reason})` : ''}
                  </td>
                  <td>{entry.versionAfter === undefined ? '' : `${entry.versionBefore ?? '–'} → ${entry.versionAfter ?? '–'}`}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </main>
  );
}
