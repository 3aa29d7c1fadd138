import { REFORM_2025_DATE, isValidOn, vietnamDate, type IsoDate, type Lineage, type PlaceSummary } from '@watchfloor/core';

/**
 * Moving the date viewed (the `at` of every request) across the 1 July 2025
 * reform: the unit on screen may not exist on the new date, so the app
 * follows its lineage to the unit of that time.
 */

/** Watchfloor's founding case: Trà Vinh (84) until 30 June 2025, then the new Vĩnh Long (86) it became part of. */
export const HOME_PLACE = { beforeReform: '84', afterReform: '86' } as const;

/** The province shown at / on a date. */
export function homePlace(at: IsoDate): string {
  return at < REFORM_2025_DATE ? HOME_PLACE.beforeReform : HOME_PLACE.afterReform;
}

/** Today in Vietnam (UTC+7), as the server counts it. */
export function todayInVietnam(now: Date = new Date()): IsoDate {
  return vietnamDate(now);
}

/** Whether this version of a unit existed on a date. */
export function validOn(place: Pick<PlaceSummary, 'validFrom' | 'validTo'>, at: IsoDate): boolean {
  return isValidOn(at, place.validFrom, place.validTo);
}

/**
 * The unit to show on `at` instead of `lineage.place`, which did not exist
 * then: among the units it was formed from (going back) or became (going
 * forward) that existed on `at`, the only one; else the home province when
 * it is one of them (Vĩnh Long 2026 → Trà Vinh 2020); else their common
 * parent (Phường Trà Vinh → the district Thành phố Trà Vinh, whose wards it
 * merged); else the first. Null when the lineage names none.
 */
export function counterpart(lineage: Lineage, at: IsoDate): string | null {
  const forward = lineage.place.validTo !== null && at > lineage.place.validTo;
  const edges = (forward ? lineage.to : lineage.from).map((e) => e.place).filter((p) => validOn(p, at));
  const first = edges[0];
  if (!first) return null;
  if (edges.length === 1) return first.code;
  const home = homePlace(at);
  if (edges.some((p) => p.code === home)) return home;
  const parents = new Set(edges.map((p) => p.parentCode));
  const [parent] = parents;
  if (parents.size === 1 && parent) return parent;
  return first.code;
}
