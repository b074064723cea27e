import { BIG_FIVE_TRAITS, type PersonalityTrait } from '../../../src/domain/personality/personality';
import { traitLabel } from './draft';

const SIZE = 240;
const CENTRE = SIZE / 2;
const RADIUS = 80;
/** Room either side for the axis labels. */
const LABEL_ROOM = 30;

/** The point at `value` (0–100) on the axis of the i-th of the Big Five, clockwise from the top. */
function point(i: number, value: number): [number, number] {
  const angle = -Math.PI / 2 + (i * 2 * Math.PI) / BIG_FIVE_TRAITS.length;
  const r = (RADIUS * value) / 100;
  return [CENTRE + r * Math.cos(angle), CENTRE + r * Math.sin(angle)];
}

const pointsOf = (values: readonly number[]) => values.map((v, i) => point(i, v).map((n) => n.toFixed(1)).join(',')).join(' ');

/** A radar chart of the Big Five: one axis per trait, the polygon of the set values (an unset trait sits at 0). */
export function RadarChart(props: { traits: Partial<Record<PersonalityTrait, number>> }) {
  const values = BIG_FIVE_TRAITS.map((t) => props.traits[t]);
  const summary = BIG_FIVE_TRAITS.map((t, i) => `${traitLabel(t)} ${values[i] ?? 'unset'}`).join(', ');
  return (
    <svg class="radar" viewBox={`${-LABEL_ROOM} 0 ${SIZE + 2 * LABEL_ROOM} ${SIZE}`} role="img" aria-label={`Big Five: ${summary}`} data-testid="radar">
      {[25, 50, 75, 100].map((ring) => (
        <polygon key={ring} class="ring" points={pointsOf(BIG_FIVE_TRAITS.map(() => ring))} />
      ))}
      {BIG_FIVE_TRAITS.map((trait, i) => {
        const [x, y] = point(i, 100);
        const [lx, ly] = point(i, 122);
        return (
          <g key={trait}>
            <line class="axis" x1={CENTRE} y1={CENTRE} x2={x} y2={y} />
            <text class="axis-label" x={lx} y={ly} text-anchor="middle" dominant-baseline="middle">
              {traitLabel(trait)}
            </text>
          </g>
        );
      })}
      <polygon class="shape" data-testid="radar-shape" points={pointsOf(values.map((v) => v ?? 0))} />
    </svg>
  );
}
