/** True when the UTF-16 unit is the first half of a surrogate pair. */
function isHighSurrogate(unit: number): boolean {
  return unit >= 0xd800 && unit <= 0xdbff;
}

/**
 * `text` cut to at most `max` UTF-16 units (what the schemas count), never between the halves of a surrogate pair,
 * with no mark: for text whose start must stay exact (a name an export compares, a field under another tool's cap).
 */
export function cutText(text: string, max: number): string {
  if (text.length <= max) return text;
  return text.slice(0, isHighSurrogate(text.charCodeAt(max - 1)) ? max - 1 : max);
}

/**
 * `text` cut to `max` UTF-16 units with an ellipsis (never splitting a surrogate pair), or as it is when it fits:
 * for a name or summary people read, where the ellipsis says it was shortened.
 */
export function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max - 1).replace(/[\uD800-\uDBFF]$/, '');
  return `${cut}…`;
}
