import { useEffect, useState } from 'preact/hooks';
import { useChangeEvents } from '../events';
import { api } from '../api';
import { ErrorReport } from '../common/error-report';
import { RecordList } from '../common/record-list';

/** A recorded error of a step or a run (src/workflow/workflow-run.ts). */
interface RecordedError {
  code: string;
  message: string;
  details?: { path: string; message: string }[];
}

/** One step of a run, as the journal tells it. */
interface StepRun {
  id: string;
  service: string;
  action: string;
  status: string;
  targetId?: string;
  attempts: number;
  startedAt?: string;
  durationMs?: number;
  error?: RecordedError;
}

/** A workflow run (GET /api/v1/workflows/{id}). */
interface WorkflowRun {
  id: string;
  name: string;
  status: string;
  startedAt: string;
  durationMs: number;
  owner?: { actor?: string };
  steps: StepRun[];
  error?: RecordedError;
  unresolved?: string[];
}

const ms = (value: number | undefined) => (value === undefined ? '—' : `${value} ms`);

/** The workflows screen: every run, newest first, and the timeline of the chosen one. */
export function WorkflowsScreen() {
  const [runs, setRuns] = useState<WorkflowRun[]>([]);
  const [selected, setSelected] = useState<string | null>(null);
  const [run, setRun] = useState<WorkflowRun | null>(null);
  const [error, setError] = useState<Error | null>(null);

  const reload = () =>
    api<WorkflowRun[]>('/workflows').then(
      (all) => setRuns([...all].sort((a, b) => b.startedAt.localeCompare(a.startedAt))),
      (e: Error) => setError(e),
    );
  useEffect(() => {
    void reload();
  }, []);
  // Any change, the CLI's included, may be a run starting, stepping or ending: the list follows it without a click.
  useChangeEvents(() => void reload());
  useEffect(() => {
    setRun(null);
    if (selected) api<WorkflowRun>(`/workflows/${encodeURIComponent(selected)}`).then(setRun, (e: Error) => setError(e));
  }, [selected]);

  return (
    <>
      {error && <ErrorReport error={error} />}
      <main class="personalities">
        <div>
          <RecordList title="Workflow runs" singular="run" records={runs} selected={selected} canWrite={false} onSelect={setSelected} tagOf={(r) => (r as WorkflowRun).status} />
          {runs.length === 0 && <p class="note">No workflow has run yet.</p>}
          <button type="button" onClick={() => void reload()}>
            Refresh
          </button>
        </div>
        {run ? <Timeline run={run} /> : <p>{selected ? 'Loading…' : 'Choose a run.'}</p>}
      </main>
    </>
  );
}

/** One run: its status, who ran it and when, then each step in the order it ran, with its outcome. */
function Timeline({ run }: { run: WorkflowRun }) {
  const start = Date.parse(run.startedAt);
  return (
    <section class="editor" aria-labelledby="run-title">
      <h2 id="run-title">{run.name}</h2>
      <p>
        Status: <strong data-testid="run-status">{run.status}</strong>, {ms(run.durationMs)}, started {run.startedAt}
        {run.owner?.actor ? ` by ${run.owner.actor}` : ''}
      </p>
      {run.error && <RecordedErrorText label="Why it compensated" error={run.error} />}
      {run.unresolved && run.unresolved.length > 0 && <p class="error">Steps left to undo: {run.unresolved.join(', ')}</p>}
      <ol class="timeline" aria-label="Steps">
        {run.steps.map((step) => (
          <li key={step.id} class={`step ${step.status.toLowerCase()}`} data-step={step.id}>
            <h3>
              {step.id}: {step.service} {step.action}
              {step.targetId ? ` ${step.targetId}` : ''}
            </h3>
            <p>
              <span class="badge">{step.status}</span> · {step.attempts} {step.attempts === 1 ? 'attempt' : 'attempts'} · {ms(step.durationMs)}
              {step.startedAt ? ` · at +${Date.parse(step.startedAt) - start} ms` : ''}
              {step.error ? ' · failed here' : step.status === 'COMPENSATED' ? ' · undone' : ''}
            </p>
            {step.error && <RecordedErrorText label="Error" error={step.error} />}
          </li>
        ))}
      </ol>
    </section>
  );
}

/** A recorded error as text: its code, message and the fields it names. */
function RecordedErrorText({ label, error }: { label: string; error: RecordedError }) {
  return (
    <div class="error">
      <p>
        {label}: {error.code}: {error.message}
      </p>
      {error.details && error.details.length > 0 && (
        <ul>
          {error.details.map((d) => (
            <li key={d.path}>
              {d.path}: {d.message}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
