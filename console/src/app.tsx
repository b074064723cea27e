import { useEffect, useState } from 'preact/hooks';
import { currentPrincipal, logIn, type Principal } from './api';
import { AgentsScreen } from './agents/agents-screen';
import { AuditScreen } from './audit/audit-screen';
import { LoginScreen } from './login/login-screen';
import { PersonalitiesScreen } from './personalities/personalities-screen';
import { RecordsScreen } from './records/records-screen';
import { WorkflowsScreen } from './workflows/workflows-screen';
import { CONNECTION_FORM, ROLE_FORM } from './records/record-forms';

const SCREENS = ['Personalities', 'Roles', 'Connections', 'Agents', 'Workflows', 'Audit'] as const;
type Screen = (typeof SCREENS)[number];

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
  return <Shell principal={session.principal} />;
}

/** The logged-in console: who you are, the screens' navigation, and the chosen screen. */
function Shell({ principal }: { principal: Principal }) {
  const [screen, setScreen] = useState<Screen>('Personalities');
  return (
    <div class="shell">
      <header>
        <h1>agentcfg console</h1>
        <span class="who">
          {principal.actor} ({principal.access})
        </span>
      </header>
      <nav class="screens" aria-label="Screens">
        {SCREENS.map((name) => (
          <button key={name} type="button" aria-current={screen === name ? 'page' : undefined} onClick={() => setScreen(name)}>
            {name}
          </button>
        ))}
      </nav>
      {screen === 'Personalities' && <PersonalitiesScreen principal={principal} />}
      {screen === 'Roles' && <RecordsScreen key="roles" form={ROLE_FORM} principal={principal} />}
      {screen === 'Connections' && <RecordsScreen key="connections" form={CONNECTION_FORM} principal={principal} />}
      {screen === 'Agents' && <AgentsScreen principal={principal} />}
      {screen === 'Workflows' && <WorkflowsScreen />}
      {screen === 'Audit' && <AuditScreen principal={principal} />}
    </div>
  );
}
