import {
  AppError,
  OPERATIONAL_INDICATORS,
  OPERATIONAL_SOURCES,
  caseCounts,
  caseFigureValues,
  dossierFigureValues,
  dossierMeasures,
  figureChanges,
  groupFigures,
  monthBounds,
  monthInstants,
  monthOf,
  monthsBetween,
  todayIn,
  recordCells,
  withDossierTotals,
  type DossierCountsFrom,
  type DossierTotalCell,
  type FiguresRebuildResult,
  type LiveEvent,
  type OperationalFigure,
  type OperationalKind,
} from '@watchfloor/core';
import { ALL_ROWS, DossierTotalsRepository, IndicatorsRepository, OperationsRepository, OrganisationsRepository, SourcesRepository } from '@watchfloor/db';
import type { StoredDossierTotal } from '@watchfloor/db';
import type { AppContext } from '../../context';
import { IngestService } from '../ingest/service';

/** How long a burst of changes is gathered before its months are recomputed. */
export const FIGURES_DEBOUNCE_MS = 2000;

const NAMES: Record<OperationalKind, string> = {
  cases: 'Phản ánh, kiến nghị (tính từ hồ sơ phản ánh của IOC) · citizen reports, counted from the IOC’s cases',
  dossiers: 'Hồ sơ TTHC theo Quyết định 766/QĐ-TTg (tính từ hồ sơ đã nhận) · Decision 766 dossier measures, counted from the dossiers received',
};

/** One figure's place in a month: indicator, unit and agency ('' for the unit's total). */
const figureKey = (f: { indicator: string; place: string; organisation: string }) => `${f.indicator}\u0000${f.place}\u0000${f.organisation}`;

export interface RecomputeResult {
  written: number;
  rejected: number;
  runId: number | null;
}

/**
 * Operational figures: the monthly CR_* and PS_DOSSIER_* indicators counted
 * from the cases and dossiers stored here, written through the one write
 * path as runs (channel `derived`) of the system's sources WF-CASES and
 * WF-DOSSIERS. A month is recomputed whole (every unit and agency), so a
 * case moved to another agency or commune leaves no stale figure, and only
 * the figures that differ from the stored ones are written: an unchanged
 * month writes nothing and a changed count is a revision.
 *
 * Changes arrive as live events published after their transaction
 * committed (`case.changed`, `dossiers.changed`); they are gathered for
 * `debounceMs` and each (kind, month) is then recomputed once. Recomputes
 * run one after another in this process.
 */
export class OperationalFigures {
  private readonly pendingCases = new Set<string>();
  private readonly pendingMonths: Record<OperationalKind, Set<string>> = { cases: new Set(), dossiers: new Set() };
  private timer: ReturnType<typeof setTimeout> | null = null;
  private chain: Promise<void> = Promise.resolve();
  private readonly ingest: IngestService;

  constructor(
    private readonly ctx: AppContext,
    private readonly options: { debounceMs?: number; onError?: (message: string, error: unknown) => void } = {},
  ) {
    this.ingest = new IngestService(ctx);
  }

  /** Takes note of a committed change; the recompute follows after the debounce. */
  observe(event: LiveEvent): void {
    if (event.type === 'case.changed') this.pendingCases.add(event.id);
    else if (event.type === 'dossiers.changed') for (const m of event.months) this.pendingMonths.dossiers.add(m);
    else return;
    this.timer ??= setTimeout(() => void this.flush(), this.options.debounceMs ?? FIGURES_DEBOUNCE_MS);
    this.timer.unref?.();
  }

  /** Recomputes what is pending now, without waiting for the debounce. */
  async flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const run = this.chain.then(() => this.drain());
    this.chain = run.catch(() => undefined);
    return run;
  }

  /** Resolves once nothing is pending or running. */
  async idle(): Promise<void> {
    if (this.timer || this.pendingCases.size > 0 || this.pendingMonths.cases.size > 0 || this.pendingMonths.dossiers.size > 0) await this.flush();
    await this.chain;
  }

  private async drain(): Promise<void> {
    const ids = [...this.pendingCases];
    this.pendingCases.clear();
    const current = todayIn(this.ctx.clock).slice(0, 7);
    try {
      for (const c of await new OperationsRepository(this.ctx.store.db).caseInstants(ids, ALL_ROWS)) {
        this.pendingMonths.cases.add(monthOf(c.receivedAt));
        if (c.resolvedAt) this.pendingMonths.cases.add(monthOf(c.resolvedAt));
      }
    } catch (e) {
      this.options.onError?.('operational figures: reading the changed cases failed', e);
    }
    for (const kind of ['cases', 'dossiers'] as const) {
      const months = [...this.pendingMonths[kind]].filter((m) => m <= current).sort();
      this.pendingMonths[kind].clear();
      for (const month of months) {
        try {
          await this.recompute(kind, month);
        } catch (e) {
          this.options.onError?.(`operational figures: recomputing ${kind} of ${month} failed`, e);
        }
      }
    }
  }

  /**
   * The figures of one month as computed from the records now (the month in
   * progress: as of now): per agency, and the totals of each unit and the province.
   */
  async compute(kind: OperationalKind, month: string): Promise<OperationalFigure[]> {
    const { start, end } = monthInstants(month);
    const repo = new OperationsRepository(this.ctx.store.db);
    if (kind === 'cases') {
      const rows = (await repo.casesOfMonth(start, end, ALL_ROWS)).map((r) => ({
        ...r,
        // A case reopened since it was resolved is not processed until it is resolved again.
        resolvedAt: r.status === 'resolved' || r.status === 'closed' ? r.resolvedAt : null,
        deadlineAt: r.deadlineAt,
      }));
      return groupFigures(rows, (group) => caseFigureValues(caseCounts(group, monthBounds(month))));
    }
    const rows = await repo.dossiersOfMonth(start, end, ALL_ROWS);
    const asOf = this.ctx.clock.now().toISOString();
    const counted = groupFigures(rows, (group) => dossierFigureValues(dossierMeasures(group, { ...monthBounds(month), asOf })));
    // Agencies that report monthly totals instead of records: counted where they have no record for that unit and month.
    return withDossierTotals(counted, rows, dossierTotalCells(await new DossierTotalsRepository(this.ctx.store.db).ofMonths([month], ALL_ROWS))).figures;
  }

  /** Recomputes one month of one kind and writes what changed. */
  async recompute(kind: OperationalKind, month: string): Promise<RecomputeResult> {
    const source = OPERATIONAL_SOURCES[kind];
    const known = new Set((await new IndicatorsRepository(this.ctx.store.db).all()).map((d) => d.code));
    // Without the indicators in the catalogue there is nothing to file the counts under.
    const indicators = OPERATIONAL_INDICATORS[kind].filter((c) => known.has(c));
    if (indicators.length === 0) return { written: 0, rejected: 0, runId: null };
    const repo = new OperationsRepository(this.ctx.store.db);
    // A figure another source filed (an agency's own report, a demo data set's series) is theirs: the count never overwrites it.
    const theirs = new Set((await repo.figuresOfOtherSources(source, month, indicators)).map(figureKey));
    const computed = (await this.compute(kind, month)).filter((f) => known.has(f.indicator) && !theirs.has(figureKey(f)));
    const stored = await repo.storedFigures(source, month, indicators);
    const changes = figureChanges(computed, stored);
    if (changes.length === 0) return { written: 0, rejected: 0, runId: null };
    await this.register(kind);
    const result = await this.ingest.ingest({
      source: { code: source, mapping: null },
      channel: 'derived',
      sender: null,
      rows: changes.map((f, i) => {
        // A figure made (in part) of reported totals names their sources in its note; one counted from records alone has none.
        const value = { indicator: f.indicator, place: f.place, period: month, value: f.value, organisation: f.organisation === '' ? null : f.organisation, ...(f.note !== undefined ? { note: f.note } : {}) };
        return { line: i + 1, raw: JSON.stringify(value), value };
      }),
    });
    return { written: result.created + result.revised, rejected: result.rejected, runId: result.runId };
  }

  /** Recomputes every month of a range (`watchfloor figures rebuild`), oldest first, after any recompute under way. */
  async rebuild(q: { from: string; to: string; kind?: OperationalKind | undefined }): Promise<FiguresRebuildResult> {
    if (q.to < q.from) throw new AppError('invalid_parameter', `to (${q.to}) is before from (${q.from})`);
    const run = this.chain.then(() => this.rebuildNow(q));
    this.chain = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  }

  private async rebuildNow(q: { from: string; to: string; kind?: OperationalKind | undefined }): Promise<FiguresRebuildResult> {
    const current = todayIn(this.ctx.clock).slice(0, 7);
    const months = monthsBetween(q.from, q.to < current ? q.to : current);
    const kinds: OperationalKind[] = q.kind ? [q.kind] : ['cases', 'dossiers'];
    const out: FiguresRebuildResult = { months: months.length, written: 0, rejected: 0, runs: [] };
    for (const kind of kinds) {
      for (const month of months) {
        const r = await this.recompute(kind, month);
        out.written += r.written;
        out.rejected += r.rejected;
        if (r.runId !== null) out.runs.push(r.runId);
      }
    }
    return out;
  }

  private async register(kind: OperationalKind): Promise<void> {
    await registerDerivedSource(this.ctx, OPERATIONAL_SOURCES[kind], NAMES[kind]);
  }
}

/**
 * Registers one of the system's sources of figures it computes itself
 * (kind and channel `derived`) once, owned by the province's office (the
 * People's Committee office of the province served), else any agency of
 * the province, else `system`.
 */
export async function registerDerivedSource(ctx: AppContext, code: string, name: string): Promise<void> {
  const sources = new SourcesRepository(ctx.store.db);
  if (await sources.get(code, ALL_ROWS)) return;
  const orgs = new OrganisationsRepository(ctx.store.db);
  const today = todayIn(ctx.clock);
  const office = (await orgs.listAt(today, { placeCode: ctx.config.province, kind: 'office' }))[0] ?? (await orgs.listAt(today, { placeCode: ctx.config.province }))[0];
  const now = ctx.clock.now().toISOString();
  await sources.insert({
    code,
    name,
    kind: 'derived',
    ownerOrgCode: office?.code ?? 'system',
    schedule: null,
    expected: null,
    mapping: null,
    credentialsEnc: null,
    tokenHash: null,
    enabled: true,
    createdAt: now,
    updatedAt: now,
    pull: null,
  });
}

/** Stored totals as cells (agency × unit of a month), each with its measures and the sources that sent them. */
export function dossierTotalCells(totals: readonly StoredDossierTotal[]): DossierTotalCell[] {
  const cells = new Map<string, DossierTotalCell & { values: Record<string, number>; sources: Set<string> }>();
  for (const t of totals) {
    const id = `${t.periodKey}\u0000${t.orgCode}\u0000${t.placeCode}`;
    let c = cells.get(id);
    if (!c) cells.set(id, (c = { period: t.periodKey, organisation: t.orgCode, place: t.placeCode, province: t.provinceCode, source: '', values: {}, sources: new Set() }));
    c.values[t.indicatorCode] = t.value;
    c.sources.add(t.source);
  }
  return [...cells.values()].map(({ sources, ...c }) => ({ ...c, source: [...sources].sort().join(', ') }));
}

/**
 * Per agency, where its dossier figures of some months under a place (a
 * unit or its province) come from: its records, and the sources of the
 * reported totals that count (for a unit and month without records).
 */
export async function dossierCountsFrom(ctx: AppContext, months: readonly string[], placeCode: string): Promise<Map<string, DossierCountsFrom>> {
  const db = ctx.store.db;
  const out = new Map<string, { records: boolean; reported: Set<string> }>();
  const entry = (org: string) => {
    let e = out.get(org);
    if (!e) out.set(org, (e = { records: false, reported: new Set() }));
    return e;
  };
  const under = (r: { placeCode: string | null; provinceCode: string | null }) => r.placeCode === placeCode || r.provinceCode === placeCode;
  const totals = (await new DossierTotalsRepository(db).ofMonths(months, ALL_ROWS)).filter(under);
  const operations = new OperationsRepository(db);
  for (const month of months) {
    const { start, end } = monthInstants(month);
    const records = (await operations.dossiersOfMonth(start, end, ALL_ROWS)).filter(under);
    for (const r of records) entry(r.orgCode).records = true;
    const cells = recordCells(records);
    for (const c of dossierTotalCells(totals.filter((t) => t.periodKey === month))) {
      if (cells.has(`${c.organisation}\u0000${c.place}`)) continue;
      for (const source of c.source.split(', ')) entry(c.organisation).reported.add(source);
    }
  }
  return new Map([...out].map(([org, e]) => [org, { records: e.records, reported: [...e.reported].sort() }]));
}
