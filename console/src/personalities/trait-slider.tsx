import type { PersonalityTrait } from '../../../src/domain/personality/personality';
import { traitLabel } from './draft';

/** Where a fresh trait starts when it is set: the middle, which the prompt leaves unsaid. */
const SET_TO = 50;

/** One trait: a labelled 0–100 slider, and a checkbox that sets or unsets it (an unset trait says "unset"). */
export function TraitSlider(props: { trait: PersonalityTrait; value: number | undefined; disabled: boolean; onChange: (value: number | undefined) => void }) {
  const { trait, value } = props;
  const id = `trait-${trait}`;
  const label = traitLabel(trait);
  const unset = value === undefined;
  return (
    <div class={unset ? 'trait unset' : 'trait'}>
      <input type="checkbox" id={`${id}-set`} aria-label={`Set ${label}`} checked={!unset} disabled={props.disabled} onChange={(e) => props.onChange(e.currentTarget.checked ? SET_TO : undefined)} />
      <label for={id}>{label}</label>
      <input
        type="range"
        id={id}
        min={0}
        max={100}
        step={1}
        value={value ?? SET_TO}
        disabled={props.disabled || unset}
        aria-valuetext={unset ? 'unset' : String(value)}
        onInput={(e) => props.onChange(Number(e.currentTarget.value))}
      />
      <output for={id} id={`${id}-value`}>
        {unset ? 'unset' : value}
      </output>
    </div>
  );
}
