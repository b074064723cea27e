import { useEffect, useState } from 'preact/hooks';
import { currentPrincipal, logIn, type Principal } from './api';
import { LoginScreen } from './login/login-screen';
import { PersonalitiesScreen } from './personalities/personalities-screen';

type Session = { state: 'checking' } | { state: 'anonymous'; error?: string } | { state: 'in'; principal: Principal };

/** The one-time code of a login link (`/login#<code>`), taken out of the address bar so it is not kept in history. */
function takeLoginCode(): string | null {
  if (location.pathname !== '/login' || location.hash.length < 2) return null;
  const code = decodeURIComponent(location.hash.slice(1));
  history.replaceState(null, '', '/login');
  return code;
}

/** The console: logs in (a login link's code, an existing session, or a pasted token), then the screens. */
export function App() {
  const [session, setSession] = useState<Session>({ state: 'checking' });

  const enter = (principal: Principal) => {
    if (location.pathname !== '/') history.replaceState(null, '', '/');
    setSession({ state: 'in', principal });
  };

  useEffect(() => {
    const code = takeLoginCode();
    const attempt = code ? logIn({ code }) : currentPrincipal();
    attempt.then(
      (principal) => (principal ? enter(principal) : setSession({ state: 'anonymous' })),
      (error: Error) => setSession({ state: 'anonymous', error: error.message }),
    );
  }, []);

  if (session.state === 'checking') return <p class="status" role="status">Logging in…</p>;
  if (session.state === 'anonymous') return <LoginScreen error={session.error} onLoggedIn={enter} />;
  return <PersonalitiesScreen principal={session.principal} />;
}
