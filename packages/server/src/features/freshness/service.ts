import {
  freshnessBases,
  indicatorFreshness,
  rankLateAgencies,
  todayIn,
  type IndicatorDefinition,
  type IndicatorFreshness,
  type IndicatorFreshnessBasis,
  type IndicatorFreshnessResponse,
  type LateResponse,
  type SupplierSource,
  type DataScope,
} from '@watchfloor/core';
import { ALL_ROWS, FreshnessRepository, IndicatorsRepository, OrganisationsRepository, SourcesRepository } from '@watchfloor/db';
import type { AppContext } from '../../context';
import { SourcesService, toSource } from '../sources/service';

/** What every freshness answer is computed from, read once and kept until the stamp changes. */
export interface FreshnessContext {
  catalogue: Map<string, IndicatorDefinition>;
  bases: Map<string, IndicatorFreshnessBasis>;
  /** When each definition was stored: an indicator with no data owes periods from then. */
  definedAt: Map<string, string>;
}

/** Per database handle: the context with the stamp and day it was built for. */
const cache = new WeakMap<object, { key: string; value: FreshnessContext }>();

/**
 * Freshness per indicator (when data last arrived, from which source, which
 * agency answers for it, when it is due, whether it is late) and the late
 * list that reminders are sent from. Analytics asks for the same context to
 * put a freshness beside each figure: on a warm cache that is one small
 * query per answer (the stamp), whatever the number of figures.
 */
export class FreshnessService {
  constructor(private readonly ctx: AppContext) {}

  async context(): Promise<FreshnessContext> {
    const db = this.ctx.store.db;
    const repo = new FreshnessRepository(db);
    const today = todayIn(this.ctx.clock);
    const key = `${await repo.stamp()}|${today}`;
    const hit = cache.get(db);
    if (hit?.key === key) return hit.value;
    const catalogue = new Map((await new IndicatorsRepository(db).all()).map((d) => [d.code, d]));
    const arrivals = await repo.arrivals();
    // Which source supplies an indicator is part of the indicator's freshness, whoever asks.
    const sources: SupplierSource[] = (await new SourcesRepository(db).list(ALL_ROWS)).map((r) => toSource(r));
    const names = new Map((await new OrganisationsRepository(db).listAt(today)).map((o) => [o.code, o.name]));
    const bases = freshnessBases({ catalogue, arrivals: new Map(arrivals.map((a) => [a.code, a])), sources, organisationName: (c) => names.get(c) ?? null });
    const value = { catalogue, bases, definedAt: new Map(arrivals.map((a) => [a.code, a.definedAt])) };
    cache.set(db, { key, value });
    return value;
  }

  /** Every indicator's freshness, by code. */
  async indicators(): Promise<IndicatorFreshnessResponse> {
    const now = this.ctx.clock.now();
    const { catalogue, bases, definedAt } = await this.context();
    const indicators: IndicatorFreshness[] = [];
    for (const def of catalogue.values()) {
      const b = bases.get(def.code);
      if (!b) continue;
      const f = indicatorFreshness(b, definedAt.get(def.code) ?? now.toISOString(), now);
      indicators.push({
        indicator: def.code,
        names: def.names,
        frequency: def.frequency,
        lastRecordedAt: b.arrival.lastRecordedAt,
        lastPeriodEnd: b.arrival.lastPeriodEnd,
        source: b.source,
        organisation: b.organisation,
        expected: b.expectation,
        expectedFrom: b.expectedFrom,
        state: f.state,
        dueAt: f.dueAt,
        lateSince: f.lateSince,
        lateSeconds: f.lateSeconds,
        missingPeriod: f.missingPeriod,
      });
    }
    return { asOf: now.toISOString(), indicators: indicators.sort((a, b) => a.indicator.localeCompare(b.indicator)) };
  }

  /**
   * What is late and who answers for it: the late sources (by the sources'
   * own freshness), the late indicators, and the agencies ranked by their
   * worst lateness, each with how many of its sources and indicators are
   * late and since when. The sources are those in the caller's scope; the
   * indicators are every indicator's, as `indicators()` answers.
   */
  async late(scope: DataScope): Promise<LateResponse> {
    const sources = await new SourcesService(this.ctx).freshness(scope);
    const { indicators: all, asOf } = await this.indicators();
    const indicators = all.filter((i) => i.state === 'late').sort((a, b) => (b.lateSeconds ?? 0) - (a.lateSeconds ?? 0) || a.indicator.localeCompare(b.indicator));
    const agencies = rankLateAgencies(
      sources.late.map((s) => ({ code: s.source, organisationCode: s.ownerOrganisationCode, organisationName: s.ownerOrganisationName, lateSince: s.lateSince, lateSeconds: s.lateSeconds })),
      indicators.map((i) => ({ code: i.indicator, organisationCode: i.organisation?.code ?? null, organisationName: i.organisation?.name ?? null, lateSince: i.lateSince, lateSeconds: i.lateSeconds })),
    );
    return { asOf, sources: sources.late, indicators, agencies };
  }
}
