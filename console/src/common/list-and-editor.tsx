import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { api, type StoredRecord } from '../api';
import { useChangeEvents } from '../events';
import { RecordList } from './record-list';

/** The records of one kind, loaded from the API and reloaded on its change events, and which one is selected (null: a new one). */
export interface LiveRecords {
  records: StoredRecord[];
  selected: string | null;
  select: (id: string | null) => void;
  /** Why the list could not be loaded. */
  error: string | null;
  /** The selected record, null while none is selected or it is not loaded yet. */
  record: StoredRecord | null;
  /** Puts a saved record into the list (in place of its older version) and selects it. */
  saved: (record: StoredRecord) => void;
}

/** Loads `/<plural>` and keeps it live by the events of `kind`. */
export function useLiveRecords(plural: string, kind: string): LiveRecords {
  const [records, setRecords] = useState<StoredRecord[]>([]);
  const [selected, setSelected] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  const reload = () => api<StoredRecord[]>(`/${plural}`).then(setRecords, (e: Error) => setError(e.message));
  useEffect(() => {
    void reload();
  }, [plural]);
  useChangeEvents((event) => {
    if (event.kind === kind) void reload();
  });

  return {
    records,
    selected,
    select: setSelected,
    error,
    record: selected === null ? null : (records.find((r) => r.id === selected) ?? null),
    saved: (saved) => {
      setRecords((all) => [...all.filter((r) => r.id !== saved.id), saved]);
      setSelected(saved.id);
    },
  };
}

interface ListAndEditorProps {
  live: LiveRecords;
  /** The list's heading ("Personalities") and the kind's name ("personality"). */
  title: string;
  singular: string;
  canWrite: boolean;
  /** The editor of the selected record, or of a new one (null). */
  children: ComponentChildren;
}

/**
 * A screen of one kind: a load error, the list beside the editor. Without a selection a viewer (who cannot create) is
 * asked to choose one; a selected record not loaded yet is shown as loading.
 */
export function ListAndEditor({ live, title, singular, canWrite, children }: ListAndEditorProps) {
  const { error, records, selected, record } = live;
  return (
    <>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      <main class="personalities">
        <RecordList title={title} singular={singular} records={records} selected={selected} canWrite={canWrite} onSelect={live.select} />
        {(selected === null && !canWrite) || (selected !== null && !record) ? <p>{selected === null ? `Choose a ${singular}.` : 'Loading…'}</p> : children}
      </main>
    </>
  );
}
