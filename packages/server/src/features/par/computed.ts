import { AppError, DIRECTIVE_ON_TIME_RATE, pointsByRule, todayIn, type IndicatorDefinition, type ParComputedBasis, type ParLeaf, type ParUnitRef } from '@watchfloor/core';
import { ALL_ROWS, IndicatorsRepository } from '@watchfloor/db';
import type { AppContext } from '../../context';
import { AnalyticsService, type Sight } from '../analytics/service';
import type { FigureView } from '../analytics/schemas';
import { ScorecardsService } from '../scorecards/service';

/**
 * Computed and survey criteria of a PAR Index, scored from the figures the
 * IOC holds: for each such leaf, the figure of its indicator for the unit
 * and the year, read through the analytics service as every screen reads
 * it (a department's own figure among the organisations reporting at the
 * province; a commune's, the figure of its place, else the figure sent for
 * its People's Committee there), then the leaf's rule.
 * The basis keeps what the unit is shown beside its points: the figure,
 * its period, unit and sources, and why there are no points when there is
 * no figure.
 *
 * One measure is not an indicator of the catalogue: data delivered on time
 * (the scorecards' data punctuality of the agency, from the freshness
 * records). Directive tasks done on time are: the agency's DIR_ON_TIME_RATE
 * of the year, counted from the directive tasks the IOC holds (the
 * directives' figures), which a leaf names by its code or by the older
 * IOC_DIRECTIVES_ON_TIME_RATE.
 */

/** Data delivered on time, in percent: the agency's sources and indicators expected on a schedule that are not late (the scorecards' data punctuality). */
export const IOC_DATA_ON_TIME = 'IOC_DATA_ON_TIME_RATE';
/**
 * Directive tasks done on time, in percent: the name frameworks gave the
 * measure before the directives' figures were indicators; a leaf naming it
 * reads DIR_ON_TIME_RATE (done on time over done and overdue, of the tasks
 * due in the year, the agency as lead).
 */
export const IOC_DIRECTIVES_ON_TIME = 'IOC_DIRECTIVES_ON_TIME_RATE';

/** The measures a computed leaf may name besides the catalogue's indicators, with their names. */
export const IOC_MEASURES: Readonly<Record<string, { name: string; unit: string }>> = {
  [IOC_DATA_ON_TIME]: { name: 'Tỷ lệ nguồn dữ liệu, chỉ tiêu gửi đúng hạn', unit: '%' },
  [IOC_DIRECTIVES_ON_TIME]: { name: 'Tỷ lệ nhiệm vụ được giao hoàn thành đúng hạn', unit: '%' },
};

/** Older names of indicators a leaf may still give, and the indicator each one reads. */
const ALIASES: Readonly<Record<string, string>> = { [IOC_DIRECTIVES_ON_TIME]: DIRECTIVE_ON_TIME_RATE };

/** The indicator a leaf's code reads. */
const indicatorOf = (code: string): string => ALIASES[code] ?? code;

export interface ComputedPoints {
  points: number | null;
  basis: ParComputedBasis;
}

/** Everything: the PAR Index is scored by the province, from every figure, whoever later reads the points. */
const EVERYTHING: Sight = { places: ALL_ROWS };

type Reading = { value: number | null; sources: string[]; note: string | null };

/** The sources a figure carries: the one its freshness names, and those whose reported totals it was made of. */
function sourcesOf(view: Pick<FigureView, 'freshness'> & { dossiersFrom?: { reported: readonly string[] } }): string[] {
  const out = new Set<string>();
  if (view.freshness.source) out.add(view.freshness.source.code);
  for (const s of view.dossiersFrom?.reported ?? []) out.add(s);
  return [...out].sort();
}

/** What a figure's shortfall says, when it has a value that does not count fully. */
function caveat(view: Pick<FigureView, 'complete' | 'provisional' | 'estimated'>): string | null {
  if (!view.complete) return 'The figure is incomplete: not every unit reported for the year';
  if (view.provisional) return 'The figure is provisional';
  if (view.estimated) return 'The figure is estimated';
  return null;
}

export async function scoreFromFigures(ctx: AppContext, input: { unit: ParUnitRef; year: number; leaves: ParLeaf[] }): Promise<Map<string, ComputedPoints>> {
  const out = new Map<string, ComputedPoints>();
  const period = String(input.year);
  const today = todayIn(ctx.clock);
  // The map and the agencies as they stood at the end of the year, or today while it runs.
  const at = `${period}-12-31` < today ? `${period}-12-31` : today;
  const computedAt = ctx.clock.now().toISOString();
  const catalogue = new Map((await new IndicatorsRepository(ctx.store.db).all()).map((d) => [d.code, d]));
  const analytics = new AnalyticsService(ctx);
  const readings = new Map<string, Promise<Reading>>();
  const read = (code: string): Promise<Reading> => {
    let r = readings.get(code);
    if (!r) readings.set(code, (r = readFigure(ctx, analytics, catalogue.get(code), code, input.unit, period, at)));
    return r;
  };

  for (const leaf of input.leaves) {
    if (!isScored(leaf)) continue;
    out.set(leaf.code, pointsOf(leaf, await read(indicatorOf(leaf.indicator)), catalogue.get(indicatorOf(leaf.indicator)), period, computedAt));
  }
  return out;
}

/** A computed or survey leaf, with the indicator and rule it is scored by. */
function isScored(leaf: ParLeaf): leaf is ParLeaf & { indicator: string; rule: NonNullable<ParLeaf['rule']> } {
  return (leaf.method === 'computed' || leaf.method === 'survey') && !!leaf.indicator && !!leaf.rule;
}

/** A leaf's points from a reading of its figure, with the basis the unit is shown. */
function pointsOf(leaf: ParLeaf & { indicator: string; rule: NonNullable<ParLeaf['rule']> }, r: Reading, def: IndicatorDefinition | undefined, period: string, computedAt: string): ComputedPoints {
  const measure = IOC_MEASURES[leaf.indicator];
  return {
    points: pointsByRule(leaf.rule, r.value, leaf.maxPoints),
    basis: {
      indicator: indicatorOf(leaf.indicator),
      indicatorName: def?.names.vi ?? measure?.name ?? null,
      period,
      value: r.value,
      unit: def?.unit ?? measure?.unit ?? null,
      sources: r.sources,
      computedAt,
      note: r.note,
    },
  };
}

/**
 * The computed and survey criteria of many units of a year at once, each
 * scored as `scoreFromFigures` scores it, in a fraction of the time: each
 * indicator is read once for all of them (the organisations reporting at
 * the province, which holds the departments' own figures and those sent
 * for the communes' People's Committees; the province's communes, each
 * commune's figure), and the scorecards once. A unit these readings do not
 * cover (an agency placed elsewhere than the province, a commune the
 * province's breakdown does not list) is scored by `scoreFromFigures`.
 * Returns each unit's points by leaf code.
 */
export async function scoreUnitsFromFigures(
  ctx: AppContext,
  input: { units: readonly ParUnitRef[]; year: number; leaves: (unit: ParUnitRef) => ParLeaf[] },
): Promise<Map<string, Map<string, ComputedPoints>>> {
  const out = new Map<string, Map<string, ComputedPoints>>();
  const period = String(input.year);
  const today = todayIn(ctx.clock);
  const at = `${period}-12-31` < today ? `${period}-12-31` : today;
  const computedAt = ctx.clock.now().toISOString();
  const province = ctx.config.province;
  const catalogue = new Map((await new IndicatorsRepository(ctx.store.db).all()).map((d) => [d.code, d]));
  const analytics = new AnalyticsService(ctx);
  type Items = Map<string, Pick<FigureView, 'value' | 'freshness' | 'complete' | 'provisional' | 'estimated'> & { dossiersFrom?: { reported: readonly string[] } }>;
  const breakdowns = new Map<string, Promise<Items | null>>();
  // One breakdown of an indicator at the province, by organisation or by place; null when it cannot be read (the units then go one by one).
  const breakdown = (code: string, by: 'organisation' | 'place'): Promise<Items | null> => {
    const key = `${by}|${code}`;
    let b = breakdowns.get(key);
    if (!b) {
      b = analytics.breakdown({ code, placeCode: province, at, period, by }, EVERYTHING).then(
        (r) => new Map(r.items.map((i) => [i.key, i])) as Items,
        (e: unknown) => {
          if (e instanceof AppError) return null;
          throw e;
        },
      );
      breakdowns.set(key, b);
    }
    return b;
  };
  let cards: Promise<Awaited<ReturnType<ScorecardsService['scorecards']>>> | undefined;
  const scorecards = () => (cards ??= new ScorecardsService(ctx).scorecards({ period, place: province }, { kind: 'all' }));

  /** A unit's reading of one indicator from the shared readings; null when they do not cover it. */
  const readShared = async (code: string, unit: ParUnitRef): Promise<Reading | null> => {
    if (code === IOC_DATA_ON_TIME) return dataOnTimeOf(await scorecards(), unit);
    if (!catalogue.has(code)) return { value: null, sources: [], note: `No indicator of the catalogue has the code ${code}` };
    if (unit.kind === 'commune') {
      if (!unit.placeCode) return { value: null, sources: [], note: `The unit ${unit.code} serves no commune` };
      const places = await breakdown(code, 'place');
      const orgs = await breakdown(code, 'organisation');
      if (places === null || orgs === null || !places.has(unit.placeCode)) return null;
      const point = places.get(unit.placeCode)!;
      if (point.value !== null) return { value: point.value, sources: sourcesOf(point), note: caveat(point) };
      const own = orgs.get(unit.code);
      if (own && own.value !== null) return { value: own.value, sources: sourcesOf(own), note: caveat(own) };
      return { value: null, sources: [], note: `No figure of ${code} for ${unit.placeCode} or ${unit.code} in ${period}` };
    }
    if ((unit.placeCode ?? province) !== province) return null;
    const orgs = await breakdown(code, 'organisation');
    if (orgs === null) return null;
    const item = orgs.get(unit.code);
    if (!item || item.value === null) return { value: null, sources: [], note: `No figure of ${code} reported for ${unit.code} in ${period}` };
    return { value: item.value, sources: sourcesOf(item), note: caveat(item) };
  };

  for (const unit of input.units) {
    const leaves = input.leaves(unit).filter(isScored);
    const points = new Map<string, ComputedPoints>();
    let alone = false;
    for (const leaf of leaves) {
      const r = await readShared(indicatorOf(leaf.indicator), unit);
      if (r === null) {
        alone = true;
        break;
      }
      points.set(leaf.code, pointsOf(leaf, r, catalogue.get(indicatorOf(leaf.indicator)), period, computedAt));
    }
    out.set(unit.code, alone ? await scoreFromFigures(ctx, { unit, year: input.year, leaves }) : points);
  }
  return out;
}

async function readFigure(
  ctx: AppContext,
  analytics: AnalyticsService,
  def: IndicatorDefinition | undefined,
  code: string,
  unit: ParUnitRef,
  period: string,
  at: string,
): Promise<Reading> {
  if (code === IOC_DATA_ON_TIME) return dataOnTime(ctx, unit, period);
  if (!def) return { value: null, sources: [], note: `No indicator of the catalogue has the code ${code}` };
  try {
    if (unit.kind === 'commune') {
      if (!unit.placeCode) return { value: null, sources: [], note: `The unit ${unit.code} serves no commune` };
      const series = await analytics.series({ code, placeCode: unit.placeCode, at, from: period, to: period }, EVERYTHING);
      const point = series.points.find((p) => p.period === period);
      if (point && point.value !== null) return { value: point.value, sources: sourcesOf(point), note: caveat(point) };
      // Figures sent for the commune's People's Committee itself (a survey of the unit) are its organisation's, not the place's total.
      const own = (await analytics.breakdown({ code, placeCode: unit.placeCode, at, period, by: 'organisation' }, EVERYTHING)).items.find((i) => i.key === unit.code);
      if (own && own.value !== null) return { value: own.value, sources: sourcesOf(own), note: caveat(own) };
      return { value: null, sources: [], note: `No figure of ${code} for ${unit.placeCode} or ${unit.code} in ${period}` };
    }
    const placeCode = unit.placeCode ?? ctx.config.province;
    const breakdown = await analytics.breakdown({ code, placeCode, at, period, by: 'organisation' }, EVERYTHING);
    const item = breakdown.items.find((i) => i.key === unit.code);
    if (!item || item.value === null) return { value: null, sources: [], note: `No figure of ${code} reported for ${unit.code} in ${period}` };
    return { value: item.value, sources: sourcesOf(item), note: caveat(item) };
  } catch (e) {
    if (e instanceof AppError) return { value: null, sources: [], note: `No figure of ${code}: ${e.message}` };
    throw e;
  }
}

/**
 * The agency's data punctuality as the scorecards count it: its sources and
 * indicators expected on a schedule, and of those the ones not late. The
 * freshness records say what is late now, not what was late in a past
 * year, so the figure is today's, and the note says so.
 */
async function dataOnTime(ctx: AppContext, unit: ParUnitRef, period: string): Promise<Reading> {
  return dataOnTimeOf(await new ScorecardsService(ctx).scorecards({ period, place: unit.placeCode ?? ctx.config.province }, { kind: 'all' }), unit);
}

/** An agency's data punctuality from scorecards (an agency's punctuality is the same on every place's scorecards). */
function dataOnTimeOf(cards: Awaited<ReturnType<ScorecardsService['scorecards']>>, unit: ParUnitRef): Reading {
  const card = cards.agencies.find((a) => a.organisation.code === unit.code);
  const c = card?.components.find((x) => x.key === 'dataPunctuality');
  if (!c || c.value === null) return { value: null, sources: [], note: `Nothing is expected of ${unit.code} on a schedule: no source or indicator it answers for has a delivery deadline` };
  const value = Math.round(c.value * 10000) / 100;
  return { value, sources: [], note: `${c.numerator} of ${c.denominator} sources and indicators expected of ${unit.code} are on time as of ${cards.asOf.slice(0, 10)} (the freshness records hold today's state, not the year's history)` };
}
