/**
 * How deep a parsed JSON value nests, measured without recursion. JSON.parse
 * reads any depth, but recursive code after it (validation, JSON.stringify,
 * a recursive walk) overflows the stack on a value nested 100,000 deep, so
 * every channel refuses values deeper than MAX_JSON_DEPTH first.
 */

/** Nesting no real row or request comes near; deeper values are refused. */
export const MAX_JSON_DEPTH = 256;

/** What a walk over a JSON value found: whether any string or key holds NUL, and whether it nests deeper than the limit. */
export interface JsonScan {
  nul: boolean;
  tooDeep: boolean;
}

const isStream = (v: object): boolean => Buffer.isBuffer(v) || ('pipe' in v && typeof v.pipe === 'function');

/**
 * Walks a parsed JSON value with an explicit stack (never the call stack),
 * stopping at the first NUL or at the depth limit. Buffers and streams (raw
 * bodies) are not looked into.
 */
export function scanJson(value: unknown, maxDepth = MAX_JSON_DEPTH): JsonScan {
  const stack: { v: unknown; depth: number }[] = [{ v: value, depth: 0 }];
  while (stack.length > 0) {
    const top = stack.pop();
    if (top === undefined) break;
    const { v, depth } = top;
    if (typeof v === 'string') {
      if (v.includes('\u0000')) return { nul: true, tooDeep: false };
      continue;
    }
    if (v === null || typeof v !== 'object' || isStream(v)) continue;
    if (depth >= maxDepth) return { nul: false, tooDeep: true };
    if (Array.isArray(v)) {
      for (const x of v) stack.push({ v: x, depth: depth + 1 });
      continue;
    }
    for (const [k, x] of Object.entries(v)) {
      if (k.includes('\u0000')) return { nul: true, tooDeep: false };
      stack.push({ v: x, depth: depth + 1 });
    }
  }
  return { nul: false, tooDeep: false };
}
