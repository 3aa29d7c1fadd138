import {
  AppError,
  caseCounts,
  completeDossierTotals,
  monthInstants,
  monthsBetween,
  recordCells,
  directiveCompletion,
  dossierMeasures,
  parsePeriod,
  periodContaining,
  periodEnd,
  periodKey,
  periodStart,
  rankScorecards,
  SCORECARD_WEIGHTS,
  todayIn,
  type DataScope,
  type ScorecardInput,
  type ScorecardsResponse,
} from '@watchfloor/core';
import { CasesRepository, DossierTotalsRepository, DossiersRepository, OperationsRepository, OrganisationsRepository, PlacesRepository, reaches, resolveScope } from '@watchfloor/db';
import type { AppContext } from '../../context';
import { DirectiveService } from '../directives/service';
import { FreshnessService } from '../freshness/service';
import { dossierTotalCells } from '../operations/service';
import { SourcesService } from '../sources/service';

const DAY_MS = 86_400_000;

/**
 * Agency scorecards of a place and period: for every organisation serving
 * the place (or a unit under it), its dossiers on time (Decision 766), its
 * cases on time and handled, its directive tasks done on time, and its data
 * on time, scored by core's stated weights. Counts are per agency from the repositories; the scoring is pure.
 * A caller sees the agencies their scope reaches, and of any other agency
 * only the cases and dossiers in their scope (when there are some).
 */
export class ScorecardsService {
  constructor(private readonly ctx: AppContext) {}

  async scorecards(q: { period?: string | undefined; place?: string | undefined }, scope: DataScope): Promise<ScorecardsResponse> {
    const now = this.ctx.clock.now();
    const today = todayIn(this.ctx.clock);
    const period = q.period ? parsePeriod(q.period) : periodContaining('month', today);
    const from = periodStart(period);
    const to = periodEnd(period);
    // Agencies and places as they were at the end of the period (or today, when it is not over).
    const at = to < today ? to : today;
    const db = this.ctx.store.db;
    const places = new PlacesRepository(db);
    const placeCode = q.place ?? this.ctx.config.province;
    const place = await places.findAt(placeCode, at);
    if (!place) throw new AppError('unknown_place_code', `No unit had code ${placeCode} on ${at}`);

    const start = new Date(Date.parse(`${from}T00:00:00+07:00`)).toISOString();
    const endMs = Date.parse(`${to}T00:00:00+07:00`) + DAY_MS;
    const end = new Date(endMs).toISOString();
    const asOf = endMs > now.getTime() ? now.toISOString() : end;

    const organisations = await this.serving(await new OrganisationsRepository(db).listAt(at), place.code, at);
    const resolved = await resolveScope(db, scope);
    const late = await this.dataPunctuality(scope);
    const cases = new CasesRepository(db);
    const dossiers = new DossiersRepository(db);
    // Reported monthly totals count for a unit and month where the agency has no dossier record (records are the finer truth).
    const months = monthsBetween(from.slice(0, 7), to.slice(0, 7));
    const operations = new OperationsRepository(db);
    const cellsOfMonth = new Map<string, Promise<Set<string>>>();
    const recordsOf = (month: string) => {
      let cells = cellsOfMonth.get(month);
      if (!cells) {
        const span = monthInstants(month);
        cellsOfMonth.set(month, (cells = operations.dossiersOfMonth(span.start, span.end, resolved).then(recordCells)));
      }
      return cells;
    };
    // Directive tasks are counted from the tasks held, by the same read and
    // the same rule (core's directiveCompletion over DirectiveService's
    // occurrences, judged now) that the directives screen shows and the DIR_*
    // figures are written from, so the component is DIR_DONE_ON_TIME over
    // DIR_JUDGED of the period. Not from the stored figures: those follow a
    // change only after their debounce and a deadline passing only on the
    // next day's tick, while the other components here are read live, and
    // they are per agency whereas a caller's scope applies task by task.
    const directives = new Map(
      directiveCompletion(await new DirectiveService(this.ctx).occurrencesIn(resolved, undefined, now.toISOString(), to), { from, to }).map((r) => [r.organisation, r]),
    );
    const inputs: ScorecardInput[] = [];
    for (const o of organisations) {
      // An agency without a place serves the province.
      const reached = await reaches(db, resolved, { orgCode: o.code, placeCode: o.place_code ?? this.ctx.config.province });
      const dossierRows = await dossiers.forPeriod({ start, end, orgCode: o.code }, resolved);
      const caseRows = await cases.forCounts({ start, end, orgCode: o.code }, resolved);
      const reported = await this.reportedTotals(o.code, months, resolved, recordsOf);
      // Beyond the agencies the scope reaches, a row only carries the caller's own cases and dossiers handled there.
      const tasks = directives.get(o.code);
      if (!reached && dossierRows.length === 0 && caseRows.length === 0 && reported.sources.length === 0 && !tasks) continue;
      const d = dossierMeasures(dossierRows, { from, to, ...(asOf < end ? { asOf } : {}) });
      const c = caseCounts(
        caseRows.map((r) => ({ receivedAt: r.received_at, deadlineAt: r.deadline_at, resolvedAt: r.resolved_at ?? null, satisfaction: r.satisfaction })),
        { from, to },
      );
      inputs.push({
        organisation: { code: o.code, name: o.name },
        dossiers: {
          processed: d.processed.total + reported.processed,
          onTime: d.processed.early + d.processed.onTime + reported.onTime,
          from: { records: dossierRows.length > 0, reported: reported.sources },
        },
        cases: { received: c.received, processed: c.processed, processedOnTime: c.processedOnTime },
        directives: { judged: tasks?.onTimeRate.denominator ?? 0, doneOnTime: tasks?.doneOnTime ?? 0 },
        data: (reached ? late.get(o.code) : undefined) ?? { expected: 0, late: 0 },
      });
    }
    return {
      period: { key: periodKey(period), from, to },
      place: { code: place.code, name: place.name },
      asOf,
      weights: { ...SCORECARD_WEIGHTS },
      agencies: rankScorecards(inputs),
    };
  }

  /**
   * An agency's reported dossier totals of the period's months that count:
   * those of a unit and month where it has no dossier record. Dossiers
   * processed (resolved, or on time plus late) and of those early or on time.
   */
  private async reportedTotals(
    orgCode: string,
    months: readonly string[],
    scope: Awaited<ReturnType<typeof resolveScope>>,
    recordsOf: (month: string) => Promise<Set<string>>,
  ): Promise<{ processed: number; onTime: number; sources: string[] }> {
    const out = { processed: 0, onTime: 0, sources: new Set<string>() };
    const totals = await new DossierTotalsRepository(this.ctx.store.db).ofMonths(months, scope, orgCode);
    for (const cell of dossierTotalCells(totals)) {
      if ((await recordsOf(cell.period)).has(`${cell.organisation}\u0000${cell.place}`)) continue;
      const values = completeDossierTotals(cell.values);
      out.processed += values.PS_DOSSIER_RESOLVED ?? 0;
      out.onTime += values.PS_DOSSIER_ON_TIME ?? 0;
      for (const source of cell.source.split(', ')) out.sources.add(source);
    }
    return { processed: out.processed, onTime: out.onTime, sources: [...out.sources].sort() };
  }

  /** The organisations serving the place or a unit under it (an agency without a place serves the province). */
  private async serving<T extends { code: string; place_code: string | null }>(orgs: readonly T[], placeCode: string, at: string): Promise<T[]> {
    const places = new PlacesRepository(this.ctx.store.db);
    const within = new Map<string, boolean>();
    const isWithin = async (code: string): Promise<boolean> => {
      const known = within.get(code);
      if (known !== undefined) return known;
      let p = await places.findAt(code, at);
      let hit = false;
      for (let hops = 0; p && hops < 6; hops++) {
        if (p.code === placeCode) {
          hit = true;
          break;
        }
        p = p.parent_code ? await places.findAt(p.parent_code, at) : undefined;
      }
      within.set(code, hit);
      return hit;
    };
    const out: T[] = [];
    for (const o of orgs) if (await isWithin(o.place_code ?? this.ctx.config.province)) out.push(o);
    return out;
  }

  /**
   * Per agency: the sources it owns and the indicators it answers for that
   * are expected on a schedule, and how many of them are late now (the
   * same freshness as GET /api/freshness/late), of the sources in the scope.
   */
  private async dataPunctuality(scope: DataScope): Promise<Map<string, { expected: number; late: number }>> {
    const by = new Map<string, { expected: number; late: number }>();
    const count = (org: string | null | undefined, isLate: boolean) => {
      if (!org) return;
      const e = by.get(org) ?? { expected: 0, late: 0 };
      e.expected++;
      if (isLate) e.late++;
      by.set(org, e);
    };
    for (const s of (await new SourcesService(this.ctx).freshness(scope)).sources) if (s.state !== 'no_expectation' && s.state !== 'disabled') count(s.ownerOrganisationCode, s.state === 'late');
    for (const i of (await new FreshnessService(this.ctx).indicators()).indicators) if (i.state !== 'no_expectation') count(i.organisation?.code, i.state === 'late');
    return by;
  }
}
