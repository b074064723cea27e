/** Renders rows as a plain-text table with a header and aligned columns. */
export function formatTable(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  return [line(headers), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

/** Renders a record as indented `field: value` lines; nested objects indent, lists join with commas. */
export function formatFields(value: Record<string, unknown>, indent = ''): string {
  return Object.entries(value)
    .map(([key, v]) => {
      if (Array.isArray(v)) return `${indent}${key}: ${v.length > 0 ? v.join(', ') : '(none)'}`;
      if (typeof v === 'object' && v !== null) return `${indent}${key}:\n${formatFields(v as Record<string, unknown>, `${indent}  `)}`;
      if (typeof v === 'string' && v.includes('\n')) return `${indent}${key}: |\n${v.replace(/^/gm, `${indent}  `)}`;
      return `${indent}${key}: ${String(v)}`;
    })
    .join('\n');
}
