import { useState } from 'preact/hooks';
import { BEHAVIOUR_SLIDERS, BIG_FIVE_TRAITS, type PersonalityTrait } from '../../../src/domain/personality/personality';
import { api, type StoredRecord } from '../api';
import { SaveActions } from '../common/save-actions';
import { ConflictDialog } from '../common/conflict-dialog';
import { useRecordDraft } from '../common/record-draft';
import { personalityFields } from './field-diff';
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
  const [roleId, setRoleId] = useState('');
  const write = (draft: Draft, ifMatch: number, strategy?: 'merge') =>
    record
      ? api<StoredRecord>(`/personalities/${encodeURIComponent(record.id)}${strategy ? `?strategy=${strategy}` : ''}`, { method: 'PATCH', body: mergePatch(draft), ifMatch })
      : api<StoredRecord>('/personalities', { method: 'POST', body: createBody(draft) });
  const state = useRecordDraft(record, (r) => (r ? draftOf(r) : emptyDraft()), write, onSaved);
  const { draft, dirty, baseVersion, status, save } = state;

  const editable = canWrite && !record?.isTemplate;
  const change = (next: Partial<Draft>) => state.change({ ...draft, ...next });
  const setTrait = (trait: PersonalityTrait, value: number | undefined) => {
    const traits = { ...draft.traits };
    if (value === undefined) delete traits[trait];
    else traits[trait] = value;
    change({ traits });
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
      <ConflictDialog state={state} fieldsOf={personalityFields} />
    </form>
  );
}
