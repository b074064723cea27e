/** A record as the API returns it: the service-managed fields, then the kind's own. */
export interface StoredRecord {
  id: string;
  version: number;
  isTemplate: boolean;
  name: string;
  [field: string]: unknown;
}

/** A failure the API reported: its error code, message and field details. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: readonly { path: string; message: string }[] = [],
    /** On a 409 CONFLICT: the record as it is now. */
    readonly current?: StoredRecord,
  ) {
    super(message);
  }
}

/** Sends one JSON request to /api/v1 with the session cookie; resolves with `data`, or throws ApiError. */
export async function api<T>(path: string, init: { method?: string; body?: unknown; ifMatch?: number } = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  if (init.ifMatch !== undefined) headers['if-match'] = `"${init.ifMatch}"`;
  const response = await fetch(`/api/v1${path}`, {
    method: init.method ?? 'GET',
    headers,
    credentials: 'same-origin',
    ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
  });
  const document = (await response.json().catch(() => null)) as { ok?: boolean; data?: T; error?: { code: string; message: string; details?: { path: string; message: string }[]; current?: StoredRecord } } | null;
  if (response.ok && document?.ok) return document.data as T;
  const error = document?.error;
  throw new ApiError(response.status, error?.code ?? 'HTTP_ERROR', error?.message ?? `HTTP ${response.status}`, error?.details ?? [], error?.current);
}

/** Who the session acts for. */
export interface Principal {
  actor: string;
  access: 'viewer' | 'editor' | 'admin';
}

/** Logs in with a one-time login code or an access token; the server sets the session cookie. */
export function logIn(credential: { code: string } | { token: string }): Promise<Principal> {
  return api<Principal>('/session', { method: 'POST', body: credential });
}

/** Who the current session is, or null when there is none. */
export async function currentPrincipal(): Promise<Principal | null> {
  try {
    return await api<Principal>('/session');
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) return null;
    throw error;
  }
}
