import {
  AppError,
  DOSSIER_TOTAL_INDICATORS,
  FigureCalculator,
  NO_FIGURE,
  applicability,
  assessFigure,
  canAggregateTo,
  compositeScore,
  figureFreshness,
  incompleteText,
  dependencyClosure,
  growthRate,
  monthsBetween,
  parsePeriod,
  periodEnd,
  periodKey,
  periodLabels,
  periodStart,
  previousPeriod,
  rankByScore,
  samePeriodLastYear,
  statsFromFacts,
  yearPlanOf,
  type DataScope,
  type Figure,
  type FigureContext,
  type IndicatorFreshnessBasis,
  type IndicatorDefinition,
  type LevelledStats,
  type Period,
  type PlaceLevel,
} from '@watchfloor/core';
import {
  ALL_ROWS,
  IndicatorsRepository,
  ObservationsRepository,
  OrganisationsRepository,
  PlacesRepository,
  SourcesRepository,
  TargetsRepository,
  reaches,
  readValidFrom,
  resolveScope,
  toPlaceSummary,
  type PlaceRow,
  type ResolvedScope,
} from '@watchfloor/db';
import type { AppContext } from '../../context';
import { coverageOf, storedKeys } from './coverage';
import { rollupIndex as index, unitsOfTime } from './units';
import { FreshnessService } from '../freshness/service';
import { dossierCountsFrom } from '../operations/service';
import { PlacesService } from '../places/service';
import { syntheticFigures } from '../indicators/synthetic';
import type { BreakdownResponse, FigureView, OrganisationRankingResponse, OverviewItem, OverviewResponse, RankingResponse, SeriesResponse } from './schemas';

const TREND_LENGTH: Partial<Record<Period['kind'], number>> = { month: 12, quarter: 8, half: 6, nine_months: 5, year: 6, ytd: 12 };

/** The stored keys to read so that every one of these periods can be composed. */
function keysFor(periods: readonly Period[]): string[] {
  return [...new Set(periods.flatMap((p) => storedKeys(periodKey(p))))];
}

/** What a figure calculator needs of a place to read a figure that does not add up from the units of the time (units.ts). */
function unitsContext(place: PlaceRow, units: Awaited<ReturnType<typeof unitsOfTime>>): Pick<FigureContext, 'validity' | 'units'> {
  const of = units(place);
  return { validity: { validFrom: place.valid_from, validTo: place.valid_to }, ...(of ? { units: of } : {}) };
}

function monthSpanPeriod(key: string): Exclude<Period, { kind: 'day' }> {
  const p = parsePeriod(key);
  if (p.kind === 'day') throw new AppError('invalid_parameter', 'period: a dashboard period is a month, quarter, half, 9 months, year or year-to-date, not a day');
  return p;
}

/** The year-to-date a period's figures accumulate into (a year is its own). */
function ytdOf(p: Exclude<Period, { kind: 'day' }>): Period {
  const end = periodEnd(p);
  return p.kind === 'year' ? p : { kind: 'ytd', year: p.year, month: Number(end.slice(5, 7)) };
}

/**
 * What a caller sees of the figures. Everyone, signed in or not, sees the
 * published indicators' figures of every place; in addition, the places in
 * `places` show every indicator (the anonymous public: none; a reader whose
 * roles cover place subtrees, the places under them; any other reader,
 * every place).
 */
export interface Sight {
  places: ResolvedScope;
}

/**
 * The one rule of what a figure's reader sees: a published indicator
 * anywhere, any indicator where their scope reaches. Published figures are
 * an addition to every scope, never narrowed by it, so a ward's officer
 * reads the province overview the public reads.
 */
export function seesIndicator(def: Pick<IndicatorDefinition, 'published'>, placeInScope: boolean): boolean {
  return def.published === true || placeInScope;
}

/**
 * What leaders read: each indicator's figure for a place and period with its
 * status, plan, year-to-date, same period last year, trend and freshness;
 * breakdowns by child place or organisation; series; rankings. Every figure
 * is computed from the rollup, regrouped onto the map of the date viewed.
 */
export class AnalyticsService {
  private readonly places: PlacesService;

  constructor(private readonly ctx: AppContext) {
    this.places = new PlacesService(ctx);
  }

  /**
   * What a read scope sees of the figures. Figures are about places, not
   * agencies: a grant's organisation does not narrow them, its place does;
   * one grant without a place sees every place.
   */
  async sight(scope: DataScope): Promise<Sight> {
    if (scope.kind === 'public') return { places: { kind: 'none' } };
    if (scope.kind === 'all') return { places: ALL_ROWS };
    if (scope.grants.length > 0 && scope.grants.some((g) => g.placeCode === null)) return { places: ALL_ROWS };
    const places = await resolveScope(this.ctx.store.db, { kind: 'grants', grants: scope.grants.map((g) => ({ placeCode: g.placeCode, organisationCode: null })) });
    return { places };
  }

  /** The whole catalogue: figures are computed from it all, a published figure from unpublished parts too. */
  private async catalogue(): Promise<Map<string, IndicatorDefinition>> {
    return new Map((await new IndicatorsRepository(this.ctx.store.db).all()).map((d) => [d.code, d]));
  }

  /** An indicator the caller may see somewhere (`inScope`: at the place asked, or anywhere); one they may not answers as an unknown one does. */
  private definition(catalogue: Map<string, IndicatorDefinition>, code: string, inScope: boolean): IndicatorDefinition {
    const def = catalogue.get(code);
    if (!def || !seesIndicator(def, inScope)) throw new AppError('unknown_indicator', `No indicator has code ${code}`);
    return def;
  }

  /** The unit of a code on a date (every unit is public), and whether the caller's scope reaches it: there they see every indicator, elsewhere the published ones. */
  private async place(code: string, at: string, sight: Sight): Promise<{ row: PlaceRow; inScope: boolean }> {
    const row = await this.places.resolve(code, at);
    return { row, inScope: await reaches(this.ctx.store.db, sight.places, { placeCode: row.code }) };
  }

  /** One indicator at one place, as the caller may see it. */
  private async figureAt(catalogue: Map<string, IndicatorDefinition>, code: string, placeCode: string, at: string, sight: Sight) {
    const { row, inScope } = await this.place(placeCode, at, sight);
    return { def: this.definition(catalogue, code, inScope), place: row };
  }

  /** Whether the unit viewed did not exist for the whole period, so its figure was regrouped from the units of that time. */
  private regrouped(place: PlaceRow, p: Period): boolean {
    const from = readValidFrom(place.valid_from);
    return from !== null && from > periodStart(p);
  }

  async overview(input: { placeCode: string; at: string; period: string; domain?: string | undefined }, sight: Sight): Promise<OverviewResponse> {
    const { row: place, inScope } = await this.place(input.placeCode, input.at, sight);
    const p = monthSpanPeriod(input.period);
    const ytd = ytdOf(p);
    const ly = samePeriodLastYear(p);
    const lyYtd = samePeriodLastYear(ytd);
    const trend: Period[] = [p];
    for (let i = 1; i < (TREND_LENGTH[p.kind] ?? 6); i++) trend.unshift(previousPeriod(trend[0]!));
    // Last year's whole year: the total a seasonal plan profile divides by.
    const keys = keysFor([p, ytd, ly, lyYtd, { kind: 'year', year: p.year - 1 }, ...trend]);
    const year = String(p.year);

    const catalogue = await this.catalogue();
    const freshness = await this.freshness();
    const rollup = await new ObservationsRepository(this.ctx.store.db).rollup([place.id], keys);
    const rows = index(rollup);
    // Coverage decides what is compared: the period, its year to date and the same period last year.
    const coverage = await coverageOf(this.ctx, catalogue, [place], keysFor([p, ytd, ly]), rollup);
    const units = await unitsOfTime(this.ctx, catalogue, [place], keys);
    const calc = new FigureCalculator({ catalogue, rows: rows(place.id), placeLevel: place.level as PlaceLevel, coverage: coverage(place), ...unitsContext(place, units) });
    const targets = new Map(
      (await new TargetsRepository(this.ctx.store.db).forPlace(place.id, [periodKey(p), year])).map((t) => [`${t.indicator_code}\u0000${t.period_key}`, t.value]),
    );
    const owners = new Map((await new OrganisationsRepository(this.ctx.store.db).listAt(input.at)).map((o) => [o.code, o.name]));
    const now = this.ctx.clock.now();
    const regrouped = this.regrouped(place, p);
    const firstReported = await new ObservationsRepository(this.ctx.store.db).firstReported(place.id);
    /** Whether any part of the figure was reported here by the end of the period (a derived figure needs its parts). */
    const reportedHere = (code: string) =>
      dependencyClosure(catalogue, code).some((c) => {
        const first = firstReported.get(c);
        return first !== undefined && first <= periodEnd(p);
      });

    const items: OverviewItem[] = [];
    for (const def of catalogue.values()) {
      if (input.domain && def.domain !== input.domain) continue;
      if (!seesIndicator(def, inScope)) continue;
      // Where and since when the indicator is collected: below its levels it has no tile; before its series, "not collected yet".
      const scope = applicability(catalogue, def.code, { level: place.level as PlaceLevel, period: p });
      const applicable = scope.kind !== 'not_collected_at_level' && canAggregateTo(def.frequency, p);
      const f: Figure = applicable
        ? calc.figure(def.code, periodKey(p))
        : NO_FIGURE;
      const target = targets.get(`${def.code}\u0000${periodKey(p)}`) ?? (p.kind === 'year' ? (targets.get(`${def.code}\u0000${year}`) ?? null) : null);
      const ytdFigure = applicable ? calc.figure(def.code, periodKey(ytd)) : null;
      const yearTarget = targets.get(`${def.code}\u0000${year}`) ?? null;
      const lyFigure = applicable ? calc.figure(def.code, periodKey(ly)) : null;
      // An incomplete figure is compared with nothing: not its plan, its year plan's pace, or last year.
      const ytdValue = ytdFigure?.complete ? ytdFigure.value : null;
      const yearPlan = applicable
        ? yearPlanOf({
            progress: def.planProgress,
            period: p,
            target,
            yearTarget,
            toDate: ytdValue,
            lastYear: () => ({ toDate: calc.figure(def.code, periodKey(lyYtd)).value, total: calc.figure(def.code, String(p.year - 1)).value }),
          })
        : null;
      const assessment = assessFigure({
        indicator: def,
        value: f.value,
        target,
        yearPlan,
        notCollectedYet: scope.kind === 'not_collected_yet' ? scope.text : null,
        period: p,
        latestDataAt: f.latestRecordedAt ? new Date(f.latestRecordedAt) : null,
        now,
        reportedHere: reportedHere(def.code),
        incomplete: f.value !== null && !f.complete && f.coverage ? incompleteText(f.coverage) : null,
        notDefined: f.regrouping?.by === 'none',
      });
      items.push({
        code: def.code,
        names: def.names,
        unit: def.unit,
        domain: def.domain,
        kind: def.kind,
        frequency: def.frequency,
        direction: def.direction,
        applicable,
        ...this.view(f, figureFreshness(freshness.get(def.code), { period: p, updatedAt: f.latestRecordedAt, now, reportedHere: applicable && scope.kind === 'applies' && f.regrouping?.by !== 'none' && reportedHere(def.code) })),
        regrouped: regrouped && f.value !== null,
        status: applicable
          ? { colour: assessment.status, reason: assessment.reason, text: assessment.text, stale: assessment.stale, staleness: { reason: assessment.staleness.reason, dueDate: assessment.staleness.dueDate, staleSince: assessment.staleness.staleSince, text: assessment.staleness.text } }
          : scope.kind === 'not_collected_at_level'
            ? { colour: 'unrated', reason: 'not_collected_at_level', text: scope.text, stale: false, staleness: null }
            : { colour: 'unrated', reason: 'not_applicable', text: { vi: `Chỉ tiêu theo ${def.frequency === 'year' ? 'năm' : 'quý'}, không áp dụng cho kỳ này`, en: `Reported per ${def.frequency}: not applicable to this period` }, stale: false, staleness: null },
        target,
        percentOfPlan: assessment.percentOfPlan,
        ytd: ytdFigure ? { period: periodKey(ytd), value: ytdFigure.value, provisional: ytdFigure.provisional, coverage: ytdFigure.coverage, complete: ytdFigure.complete, target: yearTarget, percentOfYearPlan: ytdValue !== null && yearTarget ? (ytdValue / yearTarget) * 100 : null, expected: yearPlan ? { basis: yearPlan.expected.basis, months: yearPlan.expected.months, percent: yearPlan.expected.share * 100 } : null } : null,
        samePeriodLastYear: lyFigure ? { period: periodKey(ly), value: lyFigure.value, growth: f.complete && lyFigure.complete ? growthRate(f.value, lyFigure.value) : null } : null,
        trend: applicable ? trend.map((t) => ({ period: periodKey(t), value: calc.figure(def.code, periodKey(t)).value })) : [],
        owner: def.ownerOrganisationCode ? { code: def.ownerOrganisationCode, name: owners.get(def.ownerOrganisationCode) ?? null } : null,
      });
    }
    return {
      place: toPlaceSummary(place),
      at: input.at,
      period: { key: periodKey(p), labels: periodLabels(p), start: periodStart(p), end: periodEnd(p) },
      regrouped,
      synthetic: await syntheticFigures(this.ctx.store),
      indicators: items,
    };
  }

  private view(f: Figure, freshness: FigureView['freshness']): FigureView {
    return {
      value: f.value,
      estimated: f.estimated,
      provisional: f.provisional,
      facts: f.facts,
      updatedAt: f.latestRecordedAt,
      components: f.components,
      freshness,
      coverage: f.coverage,
      complete: f.complete,
      regrouping: f.regrouping,
    };
  }

  /** Each indicator's freshness basis (source, accountable agency, deadline): one cached read per answer. */
  private async freshness(): Promise<Map<string, IndicatorFreshnessBasis>> {
    return (await new FreshnessService(this.ctx).context()).bases;
  }

  /** The freshness beside one figure of a period. */
  private fresh(bases: Map<string, IndicatorFreshnessBasis>, code: string, p: Period, f: Figure): FigureView['freshness'] {
    return figureFreshness(bases.get(code), { period: p, updatedAt: f.latestRecordedAt, now: this.ctx.clock.now() });
  }

  async series(input: { code: string; placeCode: string; at: string; from: string; to: string }, sight: Sight): Promise<SeriesResponse> {
    const catalogue = await this.catalogue();
    const { def, place } = await this.figureAt(catalogue, input.code, input.placeCode, input.at, sight);
    const from = monthSpanPeriod(input.from);
    const to = monthSpanPeriod(input.to);
    if (from.kind !== to.kind) throw new AppError('invalid_parameter', 'to: must be a period of the same kind as from');
    const periods: Period[] = [to];
    while (periodKey(periods[0]!) !== periodKey(from)) {
      if (periods.length > 240 || periodStart(periods[0]!) < periodStart(from)) throw new AppError('invalid_parameter', 'from: must come before to, at most 240 periods earlier');
      periods.unshift(previousPeriod(periods[0]!));
    }
    const keys = periods.map(periodKey);
    const stored = keysFor([...periods, ...periods.map(samePeriodLastYear)]);
    const rollup = await new ObservationsRepository(this.ctx.store.db).rollup([place.id], stored, dependencyClosure(catalogue, def.code));
    const rows = index(rollup);
    const coverage = await coverageOf(this.ctx, catalogue, [place], stored, rollup, dependencyClosure(catalogue, def.code));
    const units = await unitsOfTime(this.ctx, catalogue, [place], stored, dependencyClosure(catalogue, def.code));
    const calc = new FigureCalculator({ catalogue, rows: rows(place.id), placeLevel: place.level as PlaceLevel, coverage: coverage(place), ...unitsContext(place, units) });
    const targets = new Map((await new TargetsRepository(this.ctx.store.db).forPlace(place.id, keys, [def.code])).map((t) => [t.period_key, t.value]));
    const bases = await this.freshness();
    return {
      indicator: def.code,
      place: toPlaceSummary(place),
      at: input.at,
      points: periods.map((p) => {
        const f = calc.figure(def.code, periodKey(p));
        const ly = calc.figure(def.code, periodKey(samePeriodLastYear(p)));
        return { period: periodKey(p), ...this.view(f, this.fresh(bases, def.code, p, f)), regrouped: this.regrouped(place, p) && f.value !== null, target: targets.get(periodKey(p)) ?? null, samePeriodLastYear: ly.value };
      }),
    };
  }

  async breakdown(input: { code: string; placeCode: string; at: string; period: string; by: 'place' | 'organisation' }, sight: Sight): Promise<BreakdownResponse> {
    const catalogue = await this.catalogue();
    const { def, place } = await this.figureAt(catalogue, input.code, input.placeCode, input.at, sight);
    const p = monthSpanPeriod(input.period);
    const key = periodKey(p);
    const observations = new ObservationsRepository(this.ctx.store.db);
    const bases = await this.freshness();
    if (input.by === 'place') {
      const children = await new PlacesRepository(this.ctx.store.db).listAt(input.at, { parentCode: place.code });
      const rollup = await observations.rollup(children.map((c) => c.id), keysFor([p]), dependencyClosure(catalogue, def.code));
      const rows = index(rollup);
      const coverage = await coverageOf(this.ctx, catalogue, children, keysFor([p]), rollup, dependencyClosure(catalogue, def.code));
      const units = await unitsOfTime(this.ctx, catalogue, children, keysFor([p]), dependencyClosure(catalogue, def.code));
      const items = children.map((c) => {
        const f = new FigureCalculator({ catalogue, rows: rows(c.id), placeLevel: c.level as PlaceLevel, coverage: coverage(c), ...unitsContext(c, units) }).figure(def.code, key);
        return { key: c.code, name: c.name, ...this.view(f, this.fresh(bases, def.code, p, f)), regrouped: this.regrouped(c, p) && f.value !== null };
      });
      return { indicator: def.code, place: toPlaceSummary(place), at: input.at, period: key, by: 'place', items };
    }
    return { indicator: def.code, place: toPlaceSummary(place), at: input.at, period: key, by: 'organisation', items: await this.byOrganisation(catalogue, def, place, p, input.at, bases) };
  }

  /** One indicator's figure for each organisation that reported it under a place: the facts grouped by organisation, through the same figure rules. */
  private async byOrganisation(
    catalogue: Map<string, IndicatorDefinition>,
    def: IndicatorDefinition,
    place: PlaceRow,
    p: Exclude<Period, { kind: 'day' }>,
    at: string,
    bases: Map<string, IndicatorFreshnessBasis>,
  ) {
    const key = periodKey(p);
    const observations = new ObservationsRepository(this.ctx.store.db);
    const codes = dependencyClosure(catalogue, def.code);
    const byOrg = new Map<string, Map<string, LevelledStats[]>>();
    for (const code of codes) {
      const facts = await observations.factsUnder(place.id, code, periodStart(p), periodEnd(p), { withOrganisation: true });
      const grouped = new Map<string, typeof facts>();
      for (const f of facts) grouped.set(f.org_code, [...(grouped.get(f.org_code) ?? []), f]);
      for (const [org, list] of grouped) {
        const s = statsFromFacts(list.map((f) => ({ value: f.value, share: f.share, periodEnd: f.period_end, estimated: f.status === 'estimated', provisional: f.status === 'provisional', recordedAt: f.recorded_at })));
        if (!s) continue;
        const m = byOrg.get(org) ?? new Map<string, LevelledStats[]>();
        m.set(code, [{ ...s, level: place.level as PlaceLevel }]);
        byOrg.set(org, m);
      }
    }
    const names = new Map((await new OrganisationsRepository(this.ctx.store.db).listAt(at)).map((o) => [o.code, o.name]));
    // A Decision 766 dossier measure says per agency whether it is counted from records or from the totals a source reported.
    const dossierMeasure = codes.some((c) => DOSSIER_TOTAL_INDICATORS.includes(c));
    const from = dossierMeasure ? await dossierCountsFrom(this.ctx, monthsBetween(periodStart(p).slice(0, 7), periodEnd(p).slice(0, 7)), place.code) : null;
    const sources = new SourcesRepository(this.ctx.store.db);
    const items = [];
    for (const [org, m] of byOrg) {
      const f = new FigureCalculator({ catalogue, rows: (code) => m.get(code) ?? [], placeLevel: place.level as PlaceLevel }).figure(def.code, key);
      const made = from?.get(org);
      let freshness = this.fresh(bases, def.code, p, f);
      // Made of one source's reported totals alone: that source delivered the figure.
      const [only] = made && !made.records && made.reported.length === 1 ? made.reported : [];
      if (only !== undefined) freshness = { ...freshness, source: { code: only, name: (await sources.get(only, ALL_ROWS))?.name ?? null } };
      items.push({ key: org, name: names.get(org) ?? org, ...this.view(f, freshness), regrouped: false, ...(made ? { dossiersFrom: made } : {}) });
    }
    return items.sort((a, b) => a.key.localeCompare(b.key));
  }

  /** Organisations (agencies) that reported an indicator under a place, ranked by it: the basis of agency scorecards. */
  async rankOrganisations(input: { code: string; at: string; period: string; placeCode: string }, sight: Sight): Promise<OrganisationRankingResponse> {
    const catalogue = await this.catalogue();
    const { def, place } = await this.figureAt(catalogue, input.code, input.placeCode, input.at, sight);
    const p = monthSpanPeriod(input.period);
    const items = await this.byOrganisation(catalogue, def, place, p, input.at, await this.freshness());
    const ranked = rankByScore(items, (i) => i.value, def.direction !== 'lower_is_better');
    return { indicator: def.code, at: input.at, period: periodKey(p), place: toPlaceSummary(place), items: ranked.map((r) => ({ rank: r.rank, ...r.item })) };
  }

  /** Units ranked: by a published indicator, every unit; by another, the units within the reader's scope. */
  async ranking(input: { code: string; at: string; period: string; level: PlaceLevel; parentCode?: string | undefined }, sight: Sight): Promise<RankingResponse> {
    const catalogue = await this.catalogue();
    const def = this.definition(catalogue, input.code, sight.places.kind !== 'none');
    const p = monthSpanPeriod(input.period);
    const key = periodKey(p);
    if (input.parentCode) await this.places.resolve(input.parentCode, input.at);
    // A published indicator is seen at every unit, whoever asks; another only within the reader's places.
    const within = seesIndicator(def, false) || sight.places.kind === 'all' ? undefined : sight.places;
    const places = await new PlacesRepository(this.ctx.store.db).listAt(input.at, { level: input.level, parentCode: input.parentCode, within });
    const rollup = await new ObservationsRepository(this.ctx.store.db).rollup(places.map((x) => x.id), keysFor([p]), dependencyClosure(catalogue, def.code));
    const rows = index(rollup);
    const coverage = await coverageOf(this.ctx, catalogue, places, keysFor([p]), rollup, dependencyClosure(catalogue, def.code));
    const units = await unitsOfTime(this.ctx, catalogue, places, keysFor([p]), dependencyClosure(catalogue, def.code));
    const scored = places.map((pl) => {
      const calc = new FigureCalculator({ catalogue, rows: rows(pl.id), placeLevel: pl.level as PlaceLevel, coverage: coverage(pl), ...unitsContext(pl, units) });
      const f = calc.figure(def.code, key);
      // A composite's components with what each adds, even when the score itself was published.
      const components = def.kind === 'composite' ? compositeScore(def, new Map(def.components.map((c) => [c.code, calc.figure(c.code, key).value]))).components : null;
      return { place: toPlaceSummary(pl), figure: f, components, regrouped: this.regrouped(pl, p) };
    });
    // An incomplete figure is shown, unranked.
    const ranked = rankByScore(scored, (x) => (x.figure.complete ? x.figure.value : null), def.direction !== 'lower_is_better');
    const bases = await this.freshness();
    return {
      indicator: def.code,
      at: input.at,
      period: key,
      items: ranked.map((r) => ({
        rank: r.rank,
        place: r.item.place,
        ...this.view(r.item.figure, this.fresh(bases, def.code, p, r.item.figure)),
        regrouped: r.item.regrouped && r.item.figure.value !== null,
        components: r.item.components,
      })),
    };
  }
}
