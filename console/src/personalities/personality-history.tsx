import { useEffect, useState } from 'preact/hooks';
import { api, type StoredRecord } from '../api';
import { draftOf } from './draft';
import { shown } from '../common/field-diff';
import { compareDrafts } from './field-diff';

interface HistoryProps {
  /** The stored personality, as it is now. */
  record: StoredRecord;
  canRestore: boolean;
  onRestored: (record: StoredRecord) => void;
}

/** The kept previous versions of a personality: a diff of a chosen one against the current version, and restore. */
export function PersonalityHistory({ record, canRestore, onRestored }: HistoryProps) {
  const [versions, setVersions] = useState<StoredRecord[] | null>(null);
  const [chosen, setChosen] = useState<number | null>(null);
  const [message, setMessage] = useState<{ text: string; error: boolean } | null>(null);
  const [busy, setBusy] = useState(false);

  // Reloaded whenever the stored version changes (a save here, a restore, or a change made elsewhere).
  useEffect(() => {
    let live = true;
    api<StoredRecord[]>(`/personalities/${encodeURIComponent(record.id)}/history`).then(
      (kept) => {
        if (!live) return;
        setVersions(kept);
        setChosen((previous) => (previous !== null && kept.some((v) => v.version === previous) ? previous : (kept.at(-1)?.version ?? null)));
      },
      (error: Error) => live && setMessage({ text: error.message, error: true }),
    );
    return () => {
      live = false;
    };
  }, [record.id, record.version]);

  const old = versions?.find((v) => v.version === chosen) ?? null;
  const changes = old ? compareDrafts(draftOf(old), draftOf(record)).filter((row) => row.differs) : [];

  const restore = async () => {
    if (!old) return;
    setBusy(true);
    try {
      const restored = await api<StoredRecord>(`/personalities/${encodeURIComponent(record.id)}/restore`, { method: 'POST', body: { version: old.version } });
      setMessage({ text: `Restored version ${old.version} as version ${restored.version}.`, error: false });
      onRestored(restored);
    } catch (error) {
      setMessage({ text: (error as Error).message, error: true });
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="history" aria-labelledby="history-title">
      <h3 id="history-title">History</h3>
      {versions === null ? (
        <p>Loading…</p>
      ) : versions.length === 0 ? (
        <p>No earlier versions are kept; version {record.version} is the only one.</p>
      ) : (
        <>
          <div class="row">
            <div>
              <label for="history-version">Compare version</label>
              <select id="history-version" value={chosen ?? ''} onChange={(e) => setChosen(Number(e.currentTarget.value))}>
                {versions.map((v) => (
                  <option key={v.version} value={v.version}>
                    Version {v.version} ({typeof v.updatedAt === 'string' ? v.updatedAt.replace('T', ' ').slice(0, 19) : 'unknown time'})
                  </option>
                ))}
              </select>
            </div>
            {canRestore && (
              <button type="button" disabled={busy || !old} onClick={() => void restore()}>
                Restore version {chosen}
              </button>
            )}
          </div>
          {old &&
            (changes.length === 0 ? (
              <p data-testid="history-diff">Version {old.version} has the same content as the current version {record.version}.</p>
            ) : (
              <div class="table-scroll">
                <table data-testid="history-diff">
                  <caption>
                    What differs from version {old.version} to the current version {record.version}
                  </caption>
                  <thead>
                    <tr>
                      <th scope="col">Field</th>
                      <th scope="col">Version {old.version}</th>
                      <th scope="col">Current (v{record.version})</th>
                    </tr>
                  </thead>
                  <tbody>
                    {changes.map((row) => (
                      <tr key={row.field} data-field={row.field}>
                        <th scope="row">{row.label}</th>
                        <td class="old">{shown(row.left)}</td>
                        <td class="new">
                          <span aria-hidden="true">→ </span>
                          {shown(row.right)}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            ))}
        </>
      )}
      {message && (
        <p class={message.error ? 'error' : undefined} role={message.error ? 'alert' : 'status'}>
          {message.text}
        </p>
      )}
    </section>
  );
}
