import { ErrorReport } from './error-report';

interface SaveActionsProps {
  /** A new record is created ("Create"), a stored one saved ("Save"). */
  isNew: boolean;
  /** Whether the button is enabled. */
  canSave: boolean;
  /** What the last save said ("Saved as version 2."), announced as a status. */
  saved?: string;
  /** Why the last save failed. */
  error?: Error;
}

/** An editor's submit button with the outcome of the last save: a status, or the API's failure as an alert. */
export function SaveActions({ isNew, canSave, saved, error }: SaveActionsProps) {
  return (
    <>
      <div class="actions">
        <button type="submit" disabled={!canSave}>
          {isNew ? 'Create' : 'Save'}
        </button>
        <span role="status">{saved ?? ''}</span>
      </div>
      {error && <ErrorReport error={error} />}
    </>
  );
}
