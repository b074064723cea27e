import { useEffect, useState } from 'preact/hooks';
import { api, type Principal, type StoredRecord } from '../api';
import { useChangeEvents } from '../events';
import { PersonalityEditor } from './personality-editor';
import { PersonalityList } from './personality-list';

/** The personalities screen: the list beside the editor of the selected one (or a new one); kept live by events. */
export function PersonalitiesScreen({ principal }: { principal: Principal }) {
  const [records, setRecords] = useState<StoredRecord[]>([]);
  const [roles, setRoles] = useState<StoredRecord[]>([]);
  const [selected, setSelected] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const canWrite = principal.access !== 'viewer';

  const reload = () => api<StoredRecord[]>('/personalities').then(setRecords, (e: Error) => setError(e.message));
  useEffect(() => {
    void reload();
    api<StoredRecord[]>('/roles').then(setRoles, () => setRoles([]));
  }, []);
  useChangeEvents((event) => {
    if (event.kind === 'personality') void reload();
  });

  const record = selected === null ? null : (records.find((r) => r.id === selected) ?? null);
  return (
    <>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      <main class="personalities">
        <PersonalityList records={records} selected={selected} canWrite={canWrite} onSelect={setSelected} />
        {(selected === null && !canWrite) || (selected !== null && !record) ? (
          <p>{selected === null ? 'Choose a personality.' : 'Loading…'}</p>
        ) : (
          <PersonalityEditor
            key={selected ?? 'new'}
            record={record}
            canWrite={canWrite}
            roles={roles}
            onSaved={(saved) => {
              setRecords((all) => [...all.filter((r) => r.id !== saved.id), saved]);
              setSelected(saved.id);
            }}
          />
        )}
      </main>
    </>
  );
}
