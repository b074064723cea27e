import { useEffect, useRef } from 'preact/hooks';
import type { StoredRecord } from '../api';
import type { Draft } from './draft';
import { compareDrafts, shown } from './field-diff';

interface ConflictDialogProps {
  /** The draft being saved. */
  mine: Draft;
  /** Its base version. */
  baseVersion: number;
  /** The record as it is stored now (the 409's `error.current`). */
  current: StoredRecord;
  currentDraft: Draft;
  /** A failed resolution (a merge that still conflicts), shown in the dialog. */
  problem: string | null;
  busy: boolean;
  onKeepMine: () => void;
  onTakeTheirs: () => void;
  onMerge: () => void;
  onCancel: () => void;
}

/**
 * A save that hit 409: both versions side by side, field by field, the differing fields marked; keep mine, take theirs or
 * merge. A modal <dialog>: focus stays inside, Escape cancels.
 */
export function ConflictDialog(props: ConflictDialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
    return () => dialog?.close();
  }, []);
  const rows = compareDrafts(props.mine, props.currentDraft);
  const differing = rows.filter((r) => r.differs).length;
  return (
    <dialog
      ref={ref}
      class="conflict"
      aria-labelledby="conflict-title"
      aria-describedby="conflict-summary"
      onCancel={(event) => {
        event.preventDefault();
        props.onCancel();
      }}
    >
      <h2 id="conflict-title">Someone saved a newer version</h2>
      <p id="conflict-summary">
        Your draft is based on version {props.baseVersion}; version {props.current.version} is stored now. {differing} {differing === 1 ? 'field differs' : 'fields differ'}.
      </p>
      <div class="table-scroll">
        <table>
          <caption>Your draft and the stored version, field by field</caption>
          <thead>
            <tr>
              <th scope="col">Field</th>
              <th scope="col">Mine (draft of v{props.baseVersion})</th>
              <th scope="col">Theirs (stored v{props.current.version})</th>
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
      {props.problem && (
        <p class="error" role="alert">
          {props.problem}
        </p>
      )}
      <div class="actions">
        <button type="button" disabled={props.busy} onClick={props.onKeepMine}>
          Keep mine
        </button>
        <button type="button" disabled={props.busy} onClick={props.onTakeTheirs}>
          Take theirs
        </button>
        <button type="button" disabled={props.busy} onClick={props.onMerge}>
          Merge
        </button>
        <button type="button" class="secondary" disabled={props.busy} onClick={props.onCancel}>
          Cancel
        </button>
      </div>
    </dialog>
  );
}
