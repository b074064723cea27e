import { useState } from 'preact/hooks';
import { logIn, type Principal } from '../api';

/** Log in by pasting an access token (a login link logs in by itself). */
export function LoginScreen(props: { error?: string | undefined; onLoggedIn: (principal: Principal) => void }) {
  const [token, setToken] = useState('');
  const [error, setError] = useState(props.error);
  const [busy, setBusy] = useState(false);

  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    try {
      props.onLoggedIn(await logIn({ token: token.trim() }));
    } catch (failure) {
      setError((failure as Error).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <main class="login">
      <h1>agentcfg console</h1>
      <p>Open the login link <code>agentcfg serve</code> printed, or paste an access token.</p>
      <form onSubmit={submit}>
        <label for="token">Access token</label>
        <input id="token" type="password" autocomplete="off" required value={token} onInput={(e) => setToken(e.currentTarget.value)} />
        <button type="submit" disabled={busy || token.trim() === ''}>
          Log in
        </button>
      </form>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
    </main>
  );
}
