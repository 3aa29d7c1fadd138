import type { z } from 'zod';
import { alertsApi, analyticsApi, AppError, casesApi, freshnessApi, scorecardsApi, todayIn, type DataScope, type ExportTable, type Language, type ScheduledExport, type ScheduledExportSpec } from '@watchfloor/core';
import type { AppContext } from '../../context';
import { AlertService } from '../alerts/service';
import { alertsTable } from '../alerts/exports';
import { AnalyticsService } from '../analytics/service';
import { breakdownTable } from '../analytics/exports';
import { CasesService } from '../cases/service';
import { FreshnessService } from '../freshness/service';
import { lateTable } from '../freshness/exports';
import { casesTable } from '../cases/exports';
import { ScorecardsService } from '../scorecards/service';
import { scorecardsTable } from '../scorecards/exports';

/**
 * The tables a schedule may send: each is the export of one route, built by
 * the same service call and table builder the route uses, with the route's
 * own query schema checking the filters, and the scope given (the schedule
 * owner's) where the route takes the caller's.
 */

/** The query fields a schedule sets itself, never its saved filters. */
const SET_BY_SCHEDULE = ['format', 'lang', 'period'] as const;

/** A list (cases, alerts, what is late) is as it stands at the run; a table of figures (breakdown, scorecards) is of the run's period. */
interface TableOf {
  /** The route's query without what the schedule sets. */
  query: z.ZodObject;
  needsIndicator?: boolean;
  table(ctx: AppContext, run: { spec: ScheduledExportSpec; query: Record<string, unknown>; period: string; scope: DataScope; lang: Language }): Promise<ExportTable>;
}

const omitSet = (q: z.ZodObject) => q.omit({ format: true, lang: true });

const TABLES: Record<ScheduledExport, TableOf> = {
  cases: {
    query: omitSet(casesApi.list.query),
    async table(ctx, { query, scope }) {
      const q = casesApi.list.query.parse(query);
      // Every case of the filters (`limit` when saved), read page by page as the route's export reads them.
      return casesTable(new CasesService(ctx).stream(q, scope), ctx.clock.now().toISOString(), q);
    },
  },
  alerts: {
    query: omitSet(alertsApi.list.query),
    async table(ctx, { query, scope }) {
      const q = alertsApi.list.query.parse(query);
      return alertsTable(await new AlertService(ctx).list(q, scope), ctx.clock.now().toISOString(), q);
    },
  },
  breakdown: {
    query: omitSet(analyticsApi.breakdown.query).omit({ period: true }),
    needsIndicator: true,
    async table(ctx, { spec, query, period, scope, lang }) {
      const q = analyticsApi.breakdown.query.parse({ ...query, period });
      const service = new AnalyticsService(ctx);
      const answer = await service.breakdown({ code: spec.indicator ?? '', placeCode: q.place, at: q.at ?? todayIn(ctx.clock), period, by: q.by }, await service.sight(scope));
      return breakdownTable(ctx, answer, lang);
    },
  },
  late: {
    query: omitSet(freshnessApi.late.query),
    async table(ctx, { scope, lang }) {
      return lateTable(await new FreshnessService(ctx).late(scope), lang);
    },
  },
  scorecards: {
    query: omitSet(scorecardsApi.list.query).omit({ period: true }),
    async table(ctx, { query, period, scope }) {
      const q = scorecardsApi.list.query.parse({ ...query, period });
      return scorecardsTable(await new ScorecardsService(ctx).scorecards(q, scope));
    },
  },
};

/** Checks an export's filters against its route's query (400 `invalid_body` with the paths under `export`). */
export function checkScheduledExport(spec: ScheduledExportSpec): void {
  const of = TABLES[spec.table];
  const set = SET_BY_SCHEDULE.filter((k) => k in spec.query);
  if (set.length) throw new AppError('invalid_body', `export.query: ${set.join(', ')} ${set.length === 1 ? 'is' : 'are'} set by the schedule (its format, language and period), not in the query`);
  if (of.needsIndicator && !spec.indicator) throw new AppError('invalid_body', `export.indicator: a ${spec.table} names its indicator`);
  if (!of.needsIndicator && spec.indicator) throw new AppError('invalid_body', `export.indicator: a ${spec.table} export has no indicator`);
  const parsed = of.query.strict().safeParse(spec.query);
  if (!parsed.success) {
    throw new AppError('invalid_body', parsed.error.issues.map((i) => `export.query.${i.path.join('.') || Object.keys(spec.query).join(',')}: ${i.message}`).join('; '), parsed.error.issues);
  }
}

/** The table a scheduled export sends for a period, read with the given scope. */
export function scheduledExportTable(ctx: AppContext, spec: ScheduledExportSpec, period: string, scope: DataScope, lang: Language): Promise<ExportTable> {
  return TABLES[spec.table].table(ctx, { spec, query: { ...spec.query }, period, scope, lang });
}

/** The file name of a scheduled export, without its extension. */
export function scheduledExportName(spec: ScheduledExportSpec, period: string): string {
  return [spec.table, spec.indicator, period].filter(Boolean).join('-').replace(/[^A-Za-z0-9._-]/g, '_');
}
