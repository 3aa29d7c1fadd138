import type { BreakdownResponse } from '@watchfloor/core';

export type ChildSort = 'name' | 'value';

type Item = BreakdownResponse['items'][number];

/**
 * The rows of the children table: by name (Vietnamese collation), or by
 * value with the better end first; units without data always last.
 */
export function sortChildren(items: readonly Item[], sort: ChildSort, direction: string): Item[] {
  const byName = (a: Item, b: Item) => a.name.localeCompare(b.name, 'vi');
  if (sort === 'name') return [...items].sort(byName);
  const sign = direction === 'lower_is_better' ? 1 : -1;
  return [...items].sort((a, b) => {
    if (a.value === null && b.value === null) return byName(a, b);
    if (a.value === null) return 1;
    if (b.value === null) return -1;
    return sign * (a.value - b.value) || byName(a, b);
  });
}
