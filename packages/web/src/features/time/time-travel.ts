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
 * Where the screen goes on a date its unit did not exist: one unit, or,
 * when its area went to several units of that date, those units for the
 * reader to choose among.
 */
export type Destination = { code: string } | { choose: PlaceSummary[] };

/**
 * The unit to show on `at` instead of `lineage.place`, which did not exist
 * then.
 *
 * Going forward, the units it became that exist on `at` or, when it became
 * no unit because its whole level was abolished (a district after 1 July
 * 2025), the units its communes went into: the only one; the home province
 * when it is one of them; else all of them, for the reader to choose
 * (Thành phố Trà Vinh today → Phường Trà Vinh, Nguyệt Hoá, Long Đức, Hoà
 * Thuận; never the province, which would lose where the reader was).
 *
 * Going back, among the units it was formed from that existed on `at`: the
 * only one; else the home province when it is one of them (Vĩnh Long 2026 →
 * Trà Vinh 2020); else their common parent (Phường Trà Vinh → the district
 * Thành phố Trà Vinh, whose wards it merged); else the first.
 *
 * Null when the lineage names none.
 */
export function counterpart(lineage: Lineage, at: IsoDate): Destination | null {
  const forward = lineage.place.validTo !== null && at > lineage.place.validTo;
  const home = homePlace(at);
  if (forward) {
    const became = lineage.to.map((e) => e.place).filter((p) => validOn(p, at));
    const units = became.length > 0 ? became : (lineage.abolished?.successors ?? []).map((s) => s.place).filter((p) => validOn(p, at));
    const [only] = units;
    if (!only) return null;
    if (units.length === 1) return { code: only.code };
    if (units.some((p) => p.code === home)) return { code: home };
    return { choose: units };
  }
  const units = lineage.from.map((e) => e.place).filter((p) => validOn(p, at));
  const first = units[0];
  if (!first) return null;
  if (units.length === 1) return { code: first.code };
  if (units.some((p) => p.code === home)) return { code: home };
  const parents = new Set(units.map((p) => p.parentCode));
  const [parent] = parents;
  if (parents.size === 1 && parent) return { code: parent };
  return { code: first.code };
}
