import type { ErrorDetail } from '../errors/agentcfg-error';

/** Deeper than any record or workflow needs; a guard so the recursive checks after it cannot overflow the stack. */
export const MAX_NESTING = 64;

/** A detail when a JSON value nests deeper than MAX_NESTING (checked without recursion). */
export function findExcessNesting(value: unknown): ErrorDetail[] {
  const stack: { node: unknown; depth: number }[] = [{ node: value, depth: 0 }];
  while (stack.length > 0) {
    const { node, depth } = stack.pop() as { node: unknown; depth: number };
    if (typeof node !== 'object' || node === null) continue;
    if (depth >= MAX_NESTING) return [{ path: '', message: `nests deeper than ${MAX_NESTING} levels` }];
    for (const child of Object.values(node)) stack.push({ node: child, depth: depth + 1 });
  }
  return [];
}
