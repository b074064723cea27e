import type { Card } from './card';

const CARRIAGE_RETURN = /\r\n?/g;

/** `value` with every `\r\n` and lone `\r` in its strings made `\n`; the same object when it had none. */
function withNewlines(value: unknown): unknown {
  if (typeof value === 'string') return value.includes('\r') ? value.replace(CARRIAGE_RETURN, '\n') : value;
  if (typeof value !== 'object' || value === null) return value;
  const entries = Object.entries(value);
  const changed = entries.map(([key, item]) => [key, withNewlines(item)] as const);
  // Object.is, not ===: a NaN left as it was is unchanged.
  if (changed.every(([, item], index) => Object.is(item, entries[index]?.[1]))) return value;
  return Array.isArray(value) ? changed.map(([, item]) => item) : Object.fromEntries(changed);
}

/**
 * The card with Windows and old Mac line endings made `\n`, and the card fields (by path) that had any. agentcfg
 * stores no carriage return (a control character, refused in every string), and cards written on Windows are full
 * of them: the import reports each field whose carriage returns it dropped.
 */
export function withNewlineEndings(card: Card): { card: Card; rewritten: string[] } {
  const rewritten: string[] = [];
  const each = (prefix: string, fields: Record<string, unknown>): Record<string, unknown> =>
    Object.fromEntries(
      Object.entries(fields).map(([key, value]) => {
        const out = withNewlines(value);
        if (!Object.is(out, value)) rewritten.push(`${prefix}${key}`);
        return [key, out];
      }),
    );
  const { extensions, ...fields } = card.data;
  const data = { ...each('data.', fields), extensions: each('data.extensions.', extensions) };
  const unknownData = each('data.', card.unknownData);
  const unknownRoot = each('', card.unknownRoot);
  return { card: { ...card, data, unknownData, unknownRoot } as Card, rewritten };
}
