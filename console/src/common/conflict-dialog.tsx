import { useEffect, useRef } from 'preact/hooks';
import { compareFields, shown, type FieldValue } from './field-diff';
import type { RecordDraft } from './record-draft';

interface ConflictDialogProps<D> {
  /** The editor's draft, with the open conflict (`state.conflict`). */
  state: RecordDraft<D>;
  /** A draft's fields, labelled, in the editor's order. */
  fieldsOf: (draft: D) => FieldValue[];
}

/**
 * A save that hit 409: both versions side by side, field by field, the differing fields marked; keep mine, take theirs or
 * merge (`?strategy=merge`). A modal <dialog>: focus stays inside, Escape cancels. Renders nothing without a conflict.
 */
export function ConflictDialog<D>({ state, fieldsOf }: ConflictDialogProps<D>) {
  return state.conflict ? <OpenConflict state={state} fieldsOf={fieldsOf} /> : null;
}

function OpenConflict<D>({ state, fieldsOf }: ConflictDialogProps<D>) {
  const conflict = state.conflict!;
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
    return () => dialog?.close();
  }, []);
  const rows = compareFields(fieldsOf(state.draft), fieldsOf(state.draftOf(conflict.current)));
  const differing = rows.filter((r) => r.differs).length;
  return (
    <dialog
      ref={ref}
      class="conflict"
      aria-labelledby="conflict-title"
      aria-describedby="conflict-summary"
      onCancel={(event) => {
        event.preventDefault();
        state.cancelConflict();
      }}
    >
      <h2 id="conflict-title">Someone saved a newer version</h2>
      <p id="conflict-summary">
        Your draft is based on version {state.baseVersion}; version {conflict.current.version} is stored now. {differing} {differing === 1 ? 'field differs' : 'fields differ'}.
      </p>
      <div class="table-scroll">
        <table>
          <caption>Your draft and the stored version, field by field</caption>
          <thead>
            <tr>
              <th scope="col">Field</th>
              <th scope="col">Mine (draft of v{state.baseVersion})</th>
              <th scope="col">Theirs (stored v{conflict.current.version})</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={row.field} class={row.differs ? 'differs' : undefined} data-field={row.field}>
                <th scope="row">
                  {row.label}
                  {row.differs && <span class="badge"> differs</span>}
                </th>
                <td class="mine">{shown(row.left)}</td>
                <td class="theirs">{shown(row.right)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {conflict.problem && (
        <p class="error" role="alert">
          {conflict.problem}
        </p>
      )}
      <div class="actions">
        <button type="button" disabled={conflict.busy} onClick={() => void state.resolve('keep')}>
          Keep mine
        </button>
        <button type="button" disabled={conflict.busy} onClick={state.takeTheirs}>
          Take theirs
        </button>
        <button type="button" disabled={conflict.busy} onClick={() => void state.resolve('merge')}>
          Merge
        </button>
        <button type="button" class="secondary" disabled={conflict.busy} onClick={state.cancelConflict}>
          Cancel
        </button>
      </div>
    </dialog>
  );
}
