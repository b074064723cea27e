import { api, type Principal, type StoredRecord } from '../api';
import { ConflictDialog } from '../common/conflict-dialog';
import { SaveActions } from '../common/save-actions';
import { useRecordDraft } from '../common/record-draft';
import { ListAndEditor, useLiveRecords } from '../common/list-and-editor';
import { createBodyOf, formFields, patchOf, valuesOf, type FieldSpec, type FormValues, type KindForm } from './record-forms';

/** A list and an editor for one record kind (roles, connections); templates are read-only unless the principal is an admin. */
export function RecordsScreen({ form, principal }: { form: KindForm; principal: Principal }) {
  const live = useLiveRecords(form.plural, form.kind);
  const canWrite = principal.access !== 'viewer';
  const record = live.record;
  return (
    <ListAndEditor live={live} title={form.title} singular={form.singular} canWrite={canWrite}>
      <RecordEditor
        key={`${form.plural}:${live.selected ?? 'new'}`}
        form={form}
        record={record}
        editable={canWrite && (!record?.isTemplate || principal.access === 'admin')}
        onSaved={live.saved}
      />
    </ListAndEditor>
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
  const write = (values: FormValues, baseVersion: number, strategy?: 'merge') =>
    record
      ? api<StoredRecord>(`/${form.plural}/${encodeURIComponent(record.id)}${strategy ? `?strategy=${strategy}` : ''}`, { method: 'PATCH', body: patchOf(form, values), ifMatch: baseVersion })
      : api<StoredRecord>(`/${form.plural}`, { method: 'POST', body: createBodyOf(form, values) });
  const state = useRecordDraft(record, (r) => valuesOf(form, r), write, onSaved);
  const { draft: values, dirty, baseVersion, status, save } = state;
  const change = (key: string, value: string) => state.change({ ...values, [key]: value });

  const prefix = `${form.kind}-`;
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
      <SaveActions isNew={!record} canSave={editable && (record === null || dirty)} saved={status.saved} error={status.error} />
      <ConflictDialog state={state} fieldsOf={(v) => formFields(form, v)} />
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
