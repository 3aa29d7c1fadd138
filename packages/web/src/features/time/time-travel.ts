import { isValidOn, vietnamDate, type IsoDate, type Lineage, type PlaceSummary, type systemApi } from '@watchfloor/core';
import { serverConfig } from '../../lib/server-config';

/**
 * Moving the date viewed (the `at` of every request) across the 1 July 2025
 * reform: the unit on screen may not exist on the new date, so the app
 * follows its lineage to the unit of that time.
 */

/**
 * The province shown at / on a date: the server's home span holding it
 * (in the founding case, Trà Vinh until 30 June 2025, then the new Vĩnh
 * Long it became part of); before the first span the first, after the
 * last the last.
 */
export function homePlace(at: IsoDate, config: Pick<systemApi.ServerConfig, 'home'> = serverConfig()): string {
  const spans = config.home;
  const span = spans.find((s) => (s.from === null || s.from <= at) && (s.to === null || at <= s.to));
  if (span) return span.code;
  const first = spans[0]!;
  return first.from !== null && at < first.from ? first.code : spans[spans.length - 1]!.code;
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
