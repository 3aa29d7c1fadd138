import { periodLabel, type Language } from '@watchfloor/core';
import { tryParsePeriod } from './period-logic';

/** A period key as people write it ("Quý III/2026", "Q3 2026"); the key itself when it is not one. */
export function labelOf(key: string, lang: Language): string {
  const p = tryParsePeriod(key);
  return p ? periodLabel(p, lang) : key;
}
