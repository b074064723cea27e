import { Fragment } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { composeSystemPrompt } from '../../../src/domain/prompt/effective-system-prompt';
import { api, type Principal, type StoredRecord } from '../api';
import { ListAndEditor, useLiveRecords } from '../common/list-and-editor';
import { ConflictDialog } from '../common/conflict-dialog';
import { SaveActions } from '../common/save-actions';
import { useRecordDraft } from '../common/record-draft';
import { draftOf } from '../personalities/draft';
import { roleOf } from '../personalities/prompt-preview';
import { agentCreateBody, agentFields, agentDraftOf, agentPatch, PARAMETERS, PROVIDERS, type AgentDraft, type ParameterKey, type Provider } from './agent-draft';

/** The records an agent refers to, for its selects and its draft prompt. */
interface References {
  personalities: StoredRecord[];
  roles: StoredRecord[];
  connections: StoredRecord[];
}

/** The agents screen: the list beside the composer of the selected agent (or a new one); kept live by events. */
export function AgentsScreen({ principal }: { principal: Principal }) {
  const live = useLiveRecords('agents', 'agent');
  const [refs, setRefs] = useState<References>({ personalities: [], roles: [], connections: [] });
  const canWrite = principal.access !== 'viewer';

  useEffect(() => {
    const all = (plural: string) => api<StoredRecord[]>(`/${plural}`).catch(() => [] as StoredRecord[]);
    void Promise.all([all('personalities'), all('roles'), all('connections')]).then(([personalities, roles, connections]) => setRefs({ personalities, roles, connections }));
  }, []);

  return (
    <ListAndEditor live={live} title="Agents" singular="agent" canWrite={canWrite}>
      <AgentComposer key={live.selected ?? 'new'} record={live.record} canWrite={canWrite} refs={refs} onSaved={live.saved} />
    </ListAndEditor>
  );
}

interface ComposerProps {
  record: StoredRecord | null;
  canWrite: boolean;
  refs: References;
  onSaved: (record: StoredRecord) => void;
}

/** Composes one agent: its name, colour, records, model and parameters, and the system prompt it resolves to. */
function AgentComposer({ record, canWrite, refs, onSaved }: ComposerProps) {
  const write = (draft: AgentDraft, baseVersion: number, strategy?: 'merge') =>
    record
      ? api<StoredRecord>(`/agents/${encodeURIComponent(record.id)}${strategy ? `?strategy=${strategy}` : ''}`, { method: 'PATCH', body: agentPatch(draft), ifMatch: baseVersion })
      : api<StoredRecord>('/agents', { method: 'POST', body: agentCreateBody(draft) });
  const state = useRecordDraft(record, agentDraftOf, write, onSaved);
  const { draft, dirty, baseVersion, status, save } = state;
  const change = (next: Partial<AgentDraft>) => state.change({ ...draft, ...next });
  const setParameter = (key: ParameterKey, value: string) => change({ parameters: { ...draft.parameters, [key]: value } });

  const select = (id: string, label: string, value: string, records: StoredRecord[], onPick: (id: string) => void, optional = false) => (
    <>
      <label for={id}>{label}</label>
      <select id={id} required={!optional} disabled={!canWrite} value={value} onChange={(e) => onPick(e.currentTarget.value)}>
        <option value="">{optional ? '(none)' : `Choose a ${label.toLowerCase()}`}</option>
        {records.map((r) => (
          <option key={r.id} value={r.id}>
            {r.name}
          </option>
        ))}
      </select>
    </>
  );

  return (
    <form class="editor" onSubmit={save} aria-labelledby="agent-title">
      <h2 id="agent-title">{record ? record.name : 'New agent'}</h2>
      {record && record.version > baseVersion && (
        <p class="note" role="status">
          Changed elsewhere: version {record.version} is stored; this draft is based on version {baseVersion}, so saving it reports a conflict.
        </p>
      )}
      <div class="columns">
        <div>
          <div class="fields">
            <label for="a-name">Name</label>
            <input id="a-name" required maxLength={100} disabled={!canWrite} value={draft.name} onInput={(e) => change({ name: e.currentTarget.value })} />
            <label for="a-description">Description</label>
            <input id="a-description" maxLength={2000} disabled={!canWrite} value={draft.description} onInput={(e) => change({ description: e.currentTarget.value })} />
            <label for="a-color">Colour</label>
            <input id="a-color" type="color" disabled={!canWrite} value={draft.color} onInput={(e) => change({ color: e.currentTarget.value })} />
            {select('a-personality', 'Personality', draft.personalityId, refs.personalities, (personalityId) => change({ personalityId }))}
            {select('a-role', 'Role', draft.roleId, refs.roles, (roleId) => change({ roleId }))}
            {select('a-connection', 'Connection', draft.connectionId, refs.connections, (connectionId) => change({ connectionId }), true)}
          </div>
          <fieldset>
            <legend>Model</legend>
            <div class="fields">
              <label for="a-provider">Provider</label>
              <select id="a-provider" disabled={!canWrite} value={draft.provider} onChange={(e) => change({ provider: e.currentTarget.value as Provider })}>
                {PROVIDERS.map((p) => (
                  <option key={p} value={p}>
                    {p}
                  </option>
                ))}
              </select>
              <label for="a-model">Model id</label>
              <input id="a-model" required maxLength={200} disabled={!canWrite} value={draft.modelId} onInput={(e) => change({ modelId: e.currentTarget.value })} />
              {PARAMETERS.map((p) => (
                <Fragment key={p.key}>
                  <label for={`a-${p.key}`}>
                    {p.label}
                  </label>
                  <input
                    id={`a-${p.key}`}
                    type="number"
                    min={p.min}
                    max={p.max}
                    step={p.step}
                    placeholder="unset"
                    disabled={!canWrite}
                    value={draft.parameters[p.key]}
                    onInput={(e) => setParameter(p.key, e.currentTarget.value)}
                  />
                </Fragment>
              ))}
            </div>
          </fieldset>
        </div>
        <ResolvedPrompt record={dirty ? null : record} draft={draft} refs={refs} />
      </div>
      <SaveActions isNew={!record} canSave={canWrite && (record === null || dirty)} saved={status.saved} error={status.error} />
      <ConflictDialog state={state} fieldsOf={agentFields} />
    </form>
  );
}

/**
 * The system prompt the app would send: the server's resolution of a saved, untouched agent
 * (`GET /agents/{id}/resolved`), or the draft's, composed in the browser with the domain's `composeSystemPrompt`.
 */
function ResolvedPrompt({ record, draft, refs }: { record: StoredRecord | null; draft: AgentDraft; refs: References }) {
  const [resolved, setResolved] = useState<{ version: number; prompt: string; warnings: string[] } | { version: number; error: string } | null>(null);
  useEffect(() => {
    if (!record) return;
    api<{ systemPrompt: string; warnings: string[] }>(`/agents/${encodeURIComponent(record.id)}/resolved`).then(
      (r) => setResolved({ version: record.version, prompt: r.systemPrompt, warnings: r.warnings }),
      (e: Error) => setResolved({ version: record.version, error: e.message }),
    );
  }, [record?.id, record?.version]);

  let source: string;
  let body: string;
  let warnings: string[] = [];
  if (record) {
    source = 'as the server resolves the saved agent';
    if (!resolved || resolved.version !== record.version) body = 'Loading…';
    else if ('error' in resolved) body = resolved.error;
    else ({ prompt: body, warnings } = resolved);
  } else {
    source = 'composed from the draft';
    const personality = refs.personalities.find((p) => p.id === draft.personalityId);
    const role = refs.roles.find((r) => r.id === draft.roleId);
    if (!personality || !role) body = 'Choose a personality and a role to see the prompt.';
    else {
      const { traits, customInstructions } = draftOf(personality);
      body = composeSystemPrompt(roleOf(role), { ...traits, customInstructions });
    }
  }
  return (
    <section class="preview" aria-labelledby="resolved-title">
      <h3 id="resolved-title">System prompt</h3>
      <p class="note">{source}</p>
      <pre data-testid="resolved-prompt">{body}</pre>
      {warnings.map((w) => (
        <p key={w} class="note">
          {w}
        </p>
      ))}
    </section>
  );
}
