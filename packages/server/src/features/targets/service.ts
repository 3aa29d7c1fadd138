import { z } from 'zod';
import {
  AppError,
  parsePeriod,
  periodEnd,
  periodKey,
  periodStart,
  RowRejection,
  type DataScope,
  type Period,
  type RejectionReason,
  type targetsApi,
} from '@watchfloor/core';
import { IndicatorsRepository, reachesMany, resolveScope, TargetsRepository, versionDuring, versionsByCode, type TargetInput } from '@watchfloor/db';
import type { AppContext } from '../../context';

/** The shapes of a planned value live in the targets contract in core. */
export type Target = targetsApi.Target;

export interface TargetRowProblem {
  index: number;
  reason: RejectionReason;
  message: string;
}


/**
 * The version of a place valid during a period, by the rule every fact
 * follows (the observation writer's): valid on the period's last day, else
 * on its first, else on any day of it.
 */
const looseRowSchema = z.object({ indicator: z.string(), place: z.string(), period: z.string(), value: z.unknown() });

/**
 * Planned values (kế hoạch) per indicator × place × period. A batch is
 * saved whole or not at all: one bad row refuses it, with every bad row's
 * coded reason, so a steward fixes the file and sends it again.
 */
export class TargetsService {
  constructor(private readonly ctx: AppContext) {}

  /** Saves plans, each for a place within the scope the caller may manage (`catalogue.manage`); a row outside it is `out_of_scope`. */
  async save(rows: readonly unknown[], manage: DataScope): Promise<{ saved: number }> {
    const db = this.ctx.store.db;
    const catalogue = new Set((await new IndicatorsRepository(db).list()).map((d) => d.code));
    const parsed = rows.map((row) => looseRowSchema.safeParse(row));
    const places = await versionsByCode(db, 'place', [...new Set(parsed.flatMap((p) => (p.success ? [p.data.place] : [])))]);

    const problems: TargetRowProblem[] = [];
    const targets: TargetInput[] = [];
    /** The row each target came from, for naming it when it is out of scope. */
    const indexes: number[] = [];
    const seen = new Set<string>();
    parsed.forEach((p, index) => {
      try {
        if (!p.success) throw new RowRejection('invalid_row', p.error.issues.map((i) => `${i.path.join('.') || 'row'}: ${i.message}`).join('; '));
        const { indicator, place, period, value } = p.data;
        if (!catalogue.has(indicator)) throw new RowRejection('unknown_indicator', `No indicator has code ${indicator}`);
        const parsedPeriod = this.period(period);
        if (typeof value !== 'number' || !Number.isFinite(value)) throw new RowRejection('not_a_number', `value must be a number, not ${JSON.stringify(value) ?? 'nothing'}`);
        const version = versionDuring(places.get(place), periodStart(parsedPeriod), periodEnd(parsedPeriod));
        if (!version) {
          if (!places.has(place)) throw new RowRejection('unknown_place', `No administrative unit has code ${place}`);
          throw new RowRejection('place_not_valid_in_period', `Unit ${place} did not exist during ${period}`);
        }
        const key = periodKey(parsedPeriod);
        const natural = `${indicator}|${version.id}|${key}`;
        if (seen.has(natural)) throw new RowRejection('duplicate_in_batch', `Another row of this batch already plans ${indicator} for ${place}, ${key}`);
        seen.add(natural);
        targets.push({ indicatorCode: indicator, placeId: version.id, placeCode: place, periodKey: key, value, source: 'api' });
        indexes.push(index);
      } catch (e) {
        if (!(e instanceof RowRejection)) throw e;
        problems.push({ index, reason: e.reason, message: e.message });
      }
    });

    // Judged by the rule every write is judged by: the place, and a grant's organisation through its place.
    const within = await reachesMany(db, await resolveScope(db, manage), targets.map((t) => ({ placeId: t.placeId, placeCode: t.placeCode, orgCode: null })));
    targets.forEach((t, i) => {
      if (!within[i]) problems.push({ index: indexes[i] ?? -1, reason: 'out_of_scope', message: `${t.placeCode} is outside the places you may plan for` });
    });
    problems.sort((a, b) => a.index - b.index);
    if (problems.length > 0) {
      const first = problems[0];
      const summary = `${problems.length} of ${rows.length} rows refused, nothing saved; row ${first?.index}: ${first?.message}`;
      throw new AppError('invalid_body', summary, problems);
    }
    const now = this.ctx.clock.now().toISOString();
    await db.transaction().execute((trx) => new TargetsRepository(trx).upsert(targets, now));
    return { saved: targets.length };
  }

  /**
   * Targets within the caller's scope matching the filters (outside it, as
   * if none were saved). A place filter is a code: with a period, the unit
   * of that code valid during it; without, every unit that has borne the
   * code.
   */
  async list(filter: { indicator?: string | undefined; place?: string | undefined; period?: string | undefined }, scope: DataScope): Promise<Target[]> {
    const db = this.ctx.store.db;
    if (filter.indicator && !(await new IndicatorsRepository(db).get(filter.indicator))) {
      throw new AppError('unknown_indicator', `No indicator has code ${filter.indicator}`);
    }
    let placeId: number | undefined;
    if (filter.place) {
      const versions = (await versionsByCode(db, 'place', [filter.place])).get(filter.place);
      if (!versions) throw new AppError('unknown_place_code', `No administrative unit has code ${filter.place}`);
      if (filter.period) {
        const version = versionDuring(versions, periodStart(parsePeriod(filter.period)), periodEnd(parsePeriod(filter.period)));
        if (!version) return [];
        placeId = version.id;
      }
    }
    const rows = await new TargetsRepository(db).list({
      indicatorCode: filter.indicator,
      placeId,
      placeCode: placeId === undefined ? filter.place : undefined,
      periodKey: filter.period,
    }, await resolveScope(db, scope));
    return rows.map((r) => ({ indicator: r.indicator_code, place: r.place_code, period: r.period_key, value: r.value, updatedAt: r.updated_at }));
  }

  private period(key: string): Period {
    try {
      return parsePeriod(key);
    } catch (e) {
      if (e instanceof AppError) throw new RowRejection('invalid_period', e.message);
      throw e;
    }
  }
}
