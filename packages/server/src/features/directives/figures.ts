import {
  DIRECTIVE_INDICATORS,
  DIRECTIVE_SOURCE,
  directiveFigureMonths,
  directiveMonthFigures,
  endOfYear,
  figureChanges,
  vietnamDate,
  type LiveEvent,
  type OperationalFigure,
} from '@watchfloor/core';
import { ALL_ROWS, IndicatorsRepository, OperationsRepository, OrganisationsRepository } from '@watchfloor/db';
import type { AppContext } from '../../context';
import { IngestService } from '../ingest/service';
import { registerDerivedSource } from '../operations/service';
import { DirectiveService } from './service';

/** How long a burst of directive changes (a document's import, a day of reports) is gathered before the figures are recomputed. */
export const DIRECTIVE_FIGURES_DEBOUNCE_MS = 2000;

const NAME = 'Chỉ đạo, điều hành (tính từ nhiệm vụ được giao của IOC) · leadership directives, counted from the IOC’s directive tasks';

export interface DirectiveFiguresResult {
  /** Figures written (new or revised). */
  written: number;
  rejected: number;
  runId: number | null;
  /** The months (YYYY-MM) whose figures were written. */
  months: string[];
}

const NOTHING: DirectiveFiguresResult = { written: 0, rejected: 0, runId: null, months: [] };

/**
 * The DIR_* figures (core's directives/figures.ts): the completion of each
 * lead agency and of the province by month, counted from the directive tasks
 * held here by core's `directiveCompletion` at one instant, and written
 * through the one write path as a run (channel `derived`) of the system's
 * source WF-DIRECTIVES, which keeps each figure's source and freshness.
 *
 * Every month with a task due in it, up to the end of the year under way,
 * is computed again each time and only the figures that differ from the
 * stored ones are written: the months a change concerns are the ones whose
 * figures it changed (a document re-sent with a deadline moved from March
 * to May changes both). An unchanged answer writes nothing, not even a run.
 *
 * Two things make the figures move: a committed change to a directive (a
 * `directive.changed` live event of this process: a document saved or
 * re-sent, a report, a decision), gathered for `debounceMs`; and time alone
 * (a task due on a day is overdue from 00:00 the next day in Vietnam), for
 * which the alarm loop's clock, under its lease, calls `daily` on each
 * tick and the figures are recomputed on the first tick of each Vietnam
 * day. Recomputes run one after another in this process.
 */
export class DirectiveFigures {
  private timer: ReturnType<typeof setTimeout> | null = null;
  private pending = false;
  private chain: Promise<unknown> = Promise.resolve();
  /** The Vietnam day the figures were last recomputed on by the clock. */
  private day: string | null = null;

  constructor(
    private readonly ctx: AppContext,
    private readonly options: { debounceMs?: number; onError?: (message: string, error: unknown) => void } = {},
  ) {}

  /** Takes note of a committed change; the recompute follows after the debounce. */
  observe(event: LiveEvent): void {
    if (event.type !== 'directive.changed') return;
    this.pending = true;
    this.timer ??= setTimeout(() => void this.flush(), this.options.debounceMs ?? DIRECTIVE_FIGURES_DEBOUNCE_MS);
    this.timer.unref?.();
  }

  /** Recomputes now what changes are pending, without waiting for the debounce. */
  async flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (!this.pending) return;
    this.pending = false;
    await this.queue(() => this.recomputeNow()).catch((e: unknown) => this.options.onError?.('directive figures: recomputing after a change failed', e));
  }

  /** Resolves once nothing is pending or running. */
  async idle(): Promise<void> {
    if (this.timer || this.pending) await this.flush();
    await this.chain.catch(() => undefined);
  }

  /**
   * The clock's call: recomputes on the first call of each Vietnam day (the
   * first after a start included, which also brings figures up to date
   * with directives saved while no server counted them). Never throws: a
   * failure is reported and tried again on the next call.
   */
  async daily(now: Date = this.ctx.clock.now()): Promise<void> {
    const day = vietnamDate(now);
    if (this.day === day) return;
    try {
      await this.queue(() => this.recomputeNow(now));
      this.day = day;
    } catch (e) {
      this.options.onError?.('directive figures: the daily recompute failed', e);
    }
  }

  /** Recomputes every month and writes what changed, after any recompute under way. */
  recompute(now: Date = this.ctx.clock.now()): Promise<DirectiveFiguresResult> {
    return this.queue(() => this.recomputeNow(now));
  }

  private queue<T>(work: () => Promise<T>): Promise<T> {
    const run = this.chain.then(work, work);
    this.chain = run.catch(() => undefined);
    return run;
  }

  private async recomputeNow(now: Date = this.ctx.clock.now()): Promise<DirectiveFiguresResult> {
    const db = this.ctx.store.db;
    const known = new Set((await new IndicatorsRepository(db).all()).map((d) => d.code));
    // Without the indicators in the catalogue there is nothing to file the counts under.
    const indicators = Object.keys(DIRECTIVE_INDICATORS).filter((c) => known.has(c));
    if (indicators.length === 0) return NOTHING;
    const at = now.toISOString();
    const today = vietnamDate(now);
    const counted = await new DirectiveService(this.ctx).occurrencesIn(ALL_ROWS, undefined, at, endOfYear(today));
    const stored = await new OperationsRepository(db).storedFiguresOfPeriods(DIRECTIVE_SOURCE, indicators);
    const storedBy = new Map<string, OperationalFigure[]>();
    for (const { period, ...f } of stored) storedBy.set(period, [...(storedBy.get(period) ?? []), f]);
    const places = new Map((await new OrganisationsRepository(db).listAt(today)).map((o) => [o.code, o.place_code]));
    const months = [...new Set([...directiveFigureMonths(counted, endOfYear(today)), ...storedBy.keys()])].sort();
    const rows: { period: string; figure: OperationalFigure }[] = [];
    for (const month of months) {
      const computed = directiveMonthFigures(counted, month, { province: this.ctx.config.province, placeOf: (org) => places.get(org) ?? null }).filter((f) => known.has(f.indicator));
      for (const figure of figureChanges(computed, storedBy.get(month) ?? [])) rows.push({ period: month, figure });
    }
    if (rows.length === 0) return NOTHING;
    await registerDerivedSource(this.ctx, DIRECTIVE_SOURCE, NAME);
    const result = await new IngestService(this.ctx).ingest({
      source: { code: DIRECTIVE_SOURCE, mapping: null },
      channel: 'derived',
      sender: null,
      rows: rows.map(({ period, figure: f }, i) => {
        const value = { indicator: f.indicator, place: f.place, period, value: f.value, organisation: f.organisation === '' ? null : f.organisation };
        return { line: i + 1, raw: JSON.stringify(value), value };
      }),
    });
    return { written: result.created + result.revised, rejected: result.rejected, runId: result.runId, months: [...new Set(rows.map((r) => r.period))] };
  }
}
