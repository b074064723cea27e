import { ApiError } from '../api';

/** An API failure, as text: its message and the fields it names. */
export function ErrorReport({ error }: { error: Error }) {
  const details = error instanceof ApiError ? error.details : [];
  return (
    <div class="error" role="alert">
      <p>{error.message}</p>
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
  );
}
