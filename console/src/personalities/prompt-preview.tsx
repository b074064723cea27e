import { composeSystemPrompt } from '../../../src/domain/prompt/effective-system-prompt';
import type { StoredRecord } from '../api';
import type { Draft } from './draft';

/** Stands in for a role when there is none to preview with. */
const NO_ROLE = { systemPrompt: '(the role’s system prompt)', focusAreas: [] as string[] };

/** The role fields the prompt uses, from a stored role. */
export function roleOf(record: StoredRecord | undefined) {
  if (!record || typeof record.systemPrompt !== 'string') return NO_ROLE;
  return { systemPrompt: record.systemPrompt, focusAreas: Array.isArray(record.focusAreas) ? (record.focusAreas as string[]) : [] };
}

/** The system prompt an agent with this personality (and the chosen role) would get, recomputed on every change. */
export function PromptPreview(props: { draft: Draft; roles: readonly StoredRecord[]; roleId: string; onRole: (id: string) => void }) {
  const role = roleOf(props.roles.find((r) => r.id === props.roleId));
  const prompt = composeSystemPrompt(role, { ...props.draft.traits, customInstructions: props.draft.customInstructions });
  return (
    <section class="preview" aria-labelledby="preview-title">
      <h3 id="preview-title">Effective prompt</h3>
      <label for="preview-role">Preview with role</label>
      <select id="preview-role" value={props.roleId} onChange={(e) => props.onRole(e.currentTarget.value)}>
        <option value="">(none)</option>
        {props.roles.map((r) => (
          <option key={r.id} value={r.id}>
            {r.name}
          </option>
        ))}
      </select>
      <pre data-testid="prompt-preview">{prompt}</pre>
    </section>
  );
}
