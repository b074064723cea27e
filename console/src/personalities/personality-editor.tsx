import { useEffect, useState } from 'preact/hooks';
import { BEHAVIOUR_SLIDERS, BIG_FIVE_TRAITS, type PersonalityTrait } from '../../../src/domain/personality/personality';
import { api, ApiError, type StoredRecord } from '../api';
import { SaveActions } from '../common/save-actions';
import { ConflictDialog } from './conflict-dialog';
import { PersonalityHistory } from './personality-history';
import { createBody, draftOf, emptyDraft, mergePatch, type Draft } from './draft';
import { PromptPreview } from './prompt-preview';
import { RadarChart } from './radar-chart';
import { TraitSlider } from './trait-slider';

interface EditorProps {
  /** The stored personality, or null for a new one. */
  record: StoredRecord | null;
  canWrite: boolean;
  roles: readonly StoredRecord[];
  onSaved: (record: StoredRecord) => void;
}

/** Edits one personality: its text, its traits as sliders, a radar of the Big Five and the live prompt; saves or creates. */
export function PersonalityEditor({ record, canWrite, roles, onSaved }: EditorProps) {
  const [draft, setDraft] = useState<Draft>(() => (record ? draftOf(record) : emptyDraft()));
  const [dirty, setDirty] = useState(false);
  const [baseVersion, setBaseVersion] = useState(record?.version ?? 0);
  const [roleId, setRoleId] = useState('');
  const [status, setStatus] = useState<{ error?: ApiError | Error; saved?: string }>({});
  const [conflict, setConflict] = useState<{ current: StoredRecord; problem: string | null; busy: boolean } | null>(null);

  // A change made elsewhere replaces an untouched draft; an edited one is kept, and the user is told.
  useEffect(() => {
    if (record && !dirty) {
      setDraft(draftOf(record));
      setBaseVersion(record.version);
    }
  }, [record?.version]);

  const editable = canWrite && !record?.isTemplate;
  const change = (next: Partial<Draft>) => {
    setDraft({ ...draft, ...next });
    setDirty(true);
    setStatus({});
  };
  const setTrait = (trait: PersonalityTrait, value: number | undefined) => {
    const traits = { ...draft.traits };
    if (value === undefined) delete traits[trait];
    else traits[trait] = value;
    change({ traits });
  };

  const saved = (record: StoredRecord, how: string) => {
    setDirty(false);
    setBaseVersion(record.version);
    setConflict(null);
    setStatus({ saved: `${how} as version ${record.version}.` });
    onSaved(record);
  };

  /** PATCHes the draft against `ifMatch`; a 409 that carries the current record opens the conflict dialog. */
  const patch = (ifMatch: number, strategy?: 'merge') =>
    api<StoredRecord>(`/personalities/${encodeURIComponent(record!.id)}${strategy ? `?strategy=${strategy}` : ''}`, { method: 'PATCH', body: mergePatch(draft), ifMatch });

  const save = async (event: Event) => {
    event.preventDefault();
    try {
      if (record) saved(await patch(baseVersion), 'Saved');
      else saved(await api<StoredRecord>('/personalities', { method: 'POST', body: createBody(draft) }), 'Saved');
    } catch (error) {
      if (error instanceof ApiError && error.status === 409 && error.current) setConflict({ current: error.current, problem: null, busy: false });
      else setStatus({ error: error as Error });
    }
  };

  /** Resolves the open conflict: keep mine (save against the current version) or merge (three-way against the base). */
  const resolve = async (how: 'keep' | 'merge') => {
    if (!conflict) return;
    setConflict({ ...conflict, busy: true, problem: null });
    try {
      if (how === 'keep') saved(await patch(conflict.current.version), 'Kept yours: saved');
      else saved(await patch(baseVersion, 'merge'), 'Merged: saved');
    } catch (error) {
      const current = error instanceof ApiError && error.current ? error.current : conflict.current;
      const fields = error instanceof ApiError ? error.details.map((d) => d.path) : [];
      const problem = fields.length > 0 ? `These fields were changed on both sides and cannot be merged: ${fields.join(', ')}. Keep yours or take theirs.` : (error as Error).message;
      setConflict({ current, problem, busy: false });
    }
  };

  const takeTheirs = () => {
    if (!conflict) return;
    setDraft(draftOf(conflict.current));
    setBaseVersion(conflict.current.version);
    setDirty(false);
    setStatus({ saved: `Took theirs: the editor shows version ${conflict.current.version}.` });
    setConflict(null);
  };

  const sliders = (traits: readonly PersonalityTrait[]) =>
    traits.map((trait) => <TraitSlider key={trait} trait={trait} value={draft.traits[trait]} disabled={!editable} onChange={(v) => setTrait(trait, v)} />);

  return (
    <form class="editor" onSubmit={save} aria-labelledby="editor-title">
      <h2 id="editor-title">{record ? record.name : 'New personality'}</h2>
      {record?.isTemplate && <p class="note">A template: read-only.</p>}
      {record && record.version > baseVersion && (
        <p class="note" role="status">
          Changed elsewhere: version {record.version} is stored; this draft is based on version {baseVersion}, so saving it reports a conflict.
        </p>
      )}
      <div class="fields">
        <label for="p-name">Name</label>
        <input id="p-name" required maxLength={100} value={draft.name} disabled={!editable} onInput={(e) => change({ name: e.currentTarget.value })} />
        <label for="p-description">Description</label>
        <input id="p-description" maxLength={2000} value={draft.description} disabled={!editable} onInput={(e) => change({ description: e.currentTarget.value })} />
      </div>
      <div class="columns">
        <div>
          <fieldset>
            <legend>Big Five</legend>
            {sliders(BIG_FIVE_TRAITS)}
          </fieldset>
          <RadarChart traits={draft.traits} />
          <fieldset>
            <legend>Behaviours</legend>
            {sliders(BEHAVIOUR_SLIDERS)}
          </fieldset>
        </div>
        <div>
          <label for="p-custom">Custom instructions</label>
          <textarea id="p-custom" rows={4} value={draft.customInstructions} disabled={!editable} onInput={(e) => change({ customInstructions: e.currentTarget.value })} />
          <PromptPreview draft={draft} roles={roles} roleId={roleId} onRole={setRoleId} />
        </div>
      </div>
      <SaveActions isNew={!record} canSave={editable && (record === null || dirty)} saved={status.saved} error={status.error} />
      {record && <PersonalityHistory record={record} canRestore={editable} onRestored={onSaved} />}
      {conflict && (
        <ConflictDialog
          mine={draft}
          baseVersion={baseVersion}
          current={conflict.current}
          currentDraft={draftOf(conflict.current)}
          problem={conflict.problem}
          busy={conflict.busy}
          onKeepMine={() => void resolve('keep')}
          onMerge={() => void resolve('merge')}
          onTakeTheirs={takeTheirs}
          onCancel={() => setConflict(null)}
        />
      )}
    </form>
  );
}
