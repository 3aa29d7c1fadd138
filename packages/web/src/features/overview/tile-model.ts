import { INDICATOR_DOMAINS, type OverviewItem } from '@watchfloor/core';

/** How the overview arranges and colours indicator tiles: plain functions, tested on their own. */

export interface DomainGroup {
  domain: string;
  items: OverviewItem[];
}

const DOMAIN_ORDER = new Map<string, number>(INDICATOR_DOMAINS.map((d, i) => [d, i]));

/**
 * The indicators that apply to the place and period, grouped by domain in
 * the catalogue's order of domains, and how many do not apply: reported per
 * a longer period than the one viewed (`notApplicable`), or not collected at
 * the place's level (`notCollectedHere`: a province-only figure on a commune page).
 */
export function groupByDomain(items: readonly OverviewItem[]): { groups: DomainGroup[]; notApplicable: number; notCollectedHere: number } {
  const byDomain = new Map<string, OverviewItem[]>();
  let notApplicable = 0;
  let notCollectedHere = 0;
  for (const item of items) {
    if (!item.applicable) {
      if (item.status.reason === 'not_collected_at_level') notCollectedHere++;
      else notApplicable++;
      continue;
    }
    const list = byDomain.get(item.domain);
    if (list) list.push(item);
    else byDomain.set(item.domain, [item]);
  }
  const order = (d: string) => DOMAIN_ORDER.get(d) ?? DOMAIN_ORDER.size;
  const groups = [...byDomain.entries()].sort(([a], [b]) => order(a) - order(b)).map(([domain, list]) => ({ domain, items: list }));
  return { groups, notApplicable, notCollectedHere };
}

export type Tone = 'good' | 'bad' | 'neutral';

/** Whether a change is good news, given which way is good for the indicator. */
export function growthTone(growth: number | null, direction: string): Tone {
  if (growth === null || Math.abs(growth) < 0.05 || direction === 'band') return 'neutral';
  const up = growth > 0;
  if (direction === 'higher_is_better') return up ? 'good' : 'bad';
  if (direction === 'lower_is_better') return up ? 'bad' : 'good';
  return 'neutral';
}

/** The status colours the server assigns, as CSS classes; anything unknown reads as unrated. */
export function statusClass(colour: string): 'green' | 'amber' | 'red' | 'grey' | 'unrated' {
  return colour === 'green' || colour === 'amber' || colour === 'red' || colour === 'grey' ? colour : 'unrated';
}

/** The indicator to colour the map by at first: the on-time rate of public services, else the first with data. */
export function defaultMapIndicator(items: readonly OverviewItem[], preferred: readonly string[] = ['PS_ON_TIME_RATE', 'PS_SERVICE_INDEX']): string | null {
  for (const code of preferred) if (items.some((i) => i.code === code && i.applicable && i.value !== null)) return code;
  // With no figure at all (a date before the data), the map still shows the units, all marked "no data".
  return items.find((i) => i.applicable && i.value !== null)?.code ?? items.find((i) => i.applicable)?.code ?? null;
}
