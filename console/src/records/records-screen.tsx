import { useEffect, useState } from 'preact/hooks';
import { api, ApiError, type Principal, type StoredRecord } from '../api';
import { useChangeEvents } from '../events';
import { createBodyOf, patchOf, valuesOf, type FieldSpec, type FormValues, type KindForm } from './record-forms';

/** A list and an editor for one record kind (roles, connections); templates are read-only unless the principal is an admin. */
export function RecordsScreen({ form, principal }: { form: KindForm; principal: Principal }) {
  const [records, setRecords] = useState<StoredRecord[]>([]);
  const [selected, setSelected] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const canWrite = principal.access !== 'viewer';

  const reload = () => api<StoredRecord[]>(`/${form.plural}`).then(setRecords, (e: Error) => setError(e.message));
  useEffect(() => {
    void reload();
  }, [form.plural]);
  useChangeEvents((event) => {
    if (event.kind === form.kind) void reload();
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
        <nav class="list" aria-label={form.title}>
          <h2>{form.title}</h2>
          {canWrite && (
            <button type="button" onClick={() => setSelected(null)}>
              New {form.singular}
            </button>
          )}
          <ul>
            {records.map((r) => (
              <li key={r.id}>
                <button type="button" class="link" aria-current={selected === r.id ? 'true' : undefined} data-id={r.id} onClick={() => setSelected(r.id)}>
                  {r.name}
                </button>
                {r.isTemplate && <span class="tag">template</span>}
              </li>
            ))}
          </ul>
        </nav>
        {(selected === null && !canWrite) || (selected !== null && !record) ? (
          <p>{selected === null ? `Choose a ${form.singular}.` : 'Loading…'}</p>
        ) : (
          <RecordEditor
            key={`${form.plural}:${selected ?? 'new'}`}
            form={form}
            record={record}
            editable={canWrite && (!record?.isTemplate || principal.access === 'admin')}
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

interface EditorProps {
  form: KindForm;
  record: StoredRecord | null;
  editable: boolean;
  onSaved: (record: StoredRecord) => void;
}

/** Edits one record's fields; creates, or saves a merge patch with If-Match of the version the form was made from. */
function RecordEditor({ form, record, editable, onSaved }: EditorProps) {
  const [values, setValues] = useState<FormValues>(() => valuesOf(form, record));
  const [dirty, setDirty] = useState(false);
  const [baseVersion, setBaseVersion] = useState(record?.version ?? 0);
  const [status, setStatus] = useState<{ error?: Error; saved?: string }>({});

  useEffect(() => {
    if (record && !dirty) {
      setValues(valuesOf(form, record));
      setBaseVersion(record.version);
    }
  }, [record?.version]);

  const change = (key: string, value: string) => {
    setValues({ ...values, [key]: value });
    setDirty(true);
    setStatus({});
  };

  const save = async (event: Event) => {
    event.preventDefault();
    try {
      const saved = record
        ? await api<StoredRecord>(`/${form.plural}/${encodeURIComponent(record.id)}`, { method: 'PATCH', body: patchOf(form, values), ifMatch: baseVersion })
        : await api<StoredRecord>(`/${form.plural}`, { method: 'POST', body: createBodyOf(form, values) });
      setDirty(false);
      setBaseVersion(saved.version);
      setStatus({ saved: `Saved as version ${saved.version}.` });
      onSaved(saved);
    } catch (error) {
      setStatus({ error: error as Error });
    }
  };

  const prefix = `${form.kind}-`;
  const details = status.error instanceof ApiError ? status.error.details : [];
  return (
    <form class="editor" onSubmit={save} aria-labelledby="record-title">
      <h2 id="record-title">{record ? record.name : `New ${form.singular}`}</h2>
      {record?.isTemplate && <p class="note">{editable ? 'A template: as an admin, you may change it.' : 'A template: read-only (only an admin may change it).'}</p>}
      {record && !record.isTemplate && !editable && <p class="note">Read-only: your access is viewer.</p>}
      {record && record.version > baseVersion && (
        <p class="note" role="status">
          Changed elsewhere: version {record.version} is stored; this form is based on version {baseVersion}, so saving it reports a conflict.
        </p>
      )}
      <div class="fields">
        {form.fields.map((field) => (
          <Field key={field.key} id={prefix + field.key} field={field} value={values[field.key] ?? ''} disabled={!editable} onChange={(v) => change(field.key, v)} />
        ))}
      </div>
      <div class="actions">
        <button type="submit" disabled={!editable || (record !== null && !dirty)}>
          {record ? 'Save' : 'Create'}
        </button>
        <span role="status">{status.saved ?? ''}</span>
      </div>
      {status.error && (
        <div class="error" role="alert">
          <p>{status.error.message}</p>
          {details.length > 0 && (
            <ul>
              {details.map((d) => (
                <li key={d.path}>
                  {d.path}: {d.message}
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
    </form>
  );
}

/** One labelled control; a hint is tied to it with aria-describedby. */
function Field({ id, field, value, disabled, onChange }: { id: string; field: FieldSpec; value: string; disabled: boolean; onChange: (value: string) => void }) {
  const hintId = field.hint ? `${id}-hint` : undefined;
  const common = { id, disabled, required: field.required, 'aria-describedby': hintId };
  let control;
  if (field.type === 'select') {
    control = (
      <select {...common} value={value} onChange={(e) => onChange(e.currentTarget.value)}>
        {(field.options ?? []).map((option) => (
          <option key={option} value={option}>
            {option}
          </option>
        ))}
      </select>
    );
  } else if (field.type === 'textarea' || field.type === 'lines') {
    control = <textarea {...common} rows={field.key === 'systemPrompt' ? 8 : 3} maxLength={field.maxLength} value={value} onInput={(e) => onChange(e.currentTarget.value)} />;
  } else {
    const input = { ...common, maxLength: field.maxLength, value, onInput: (e: { currentTarget: HTMLInputElement }) => onChange(e.currentTarget.value) };
    control = field.type === 'url' ? <input {...input} type="url" /> : <input {...input} />;
  }
  return (
    <>
      <label for={id}>{field.label}</label>
      <div>
        {control}
        {hintId && (
          <small id={hintId} class="note">
            {field.hint}
          </small>
        )}
      </div>
    </>
  );
}
