import {
  AppError,
  checkTemplate,
  formatNumberVi,
  incompleteText,
  parsePeriod,
  periodKey as periodKey_,
  periodLabels,
  previousPeriod,
  reportTemplateSchema,
  splitParagraph,
  todayIn,
  vietnamDate,
  type DataScope,
  type FigureView,
  type OverviewItem,
  type Placeholder,
  type ReportSection,
  type ReportTemplate,
  type ReportTemplateSummary,
  type TemplateIssue,
} from '@watchfloor/core';
import { IndicatorsRepository, ReportTemplatesRepository } from '@watchfloor/db';
import type { AppContext } from '../../context';
import type { AuditChange } from '../audit/service';
import { AnalyticsService, type Sight } from '../analytics/service';
import type { BreakdownResponse } from '../analytics/schemas';
import type { ReportBlock, ReportChart, ReportModel, ReportProvenance, ReportRun } from './model';

type ChartSection = Extract<ReportSection, { kind: 'chart' }>;

function refused(issues: TemplateIssue[]): AppError {
  const said = issues.slice(0, 5).map((i) => `${i.path || 'document'}: ${i.message}`).join('; ');
  return new AppError('invalid_report_template', said + (issues.length > 5 ? `; and ${issues.length - 5} more` : ''), issues);
}

const PROVISIONAL_NOTE = 'Số liệu sơ bộ, có thể thay đổi khi có số liệu chính thức.';
const MISSING = '(chưa có số liệu)';

/** The note a figure carries: incomplete (not enough units reported) first, then provisional; none for a final, complete figure. */
function noteOf(f: Pick<FigureView, 'value' | 'complete' | 'coverage' | 'provisional'>, name: string): string | undefined {
  if (f.value === null) return undefined;
  if (!f.complete && f.coverage) return `${name}: ${incompleteText(f.coverage).vi}.`;
  if (f.provisional) return `${name}: ${PROVISIONAL_NOTE}`;
  return undefined;
}

function number(v: number | null | undefined): string {
  return v === null || v === undefined ? MISSING : formatNumberVi(v);
}

/**
 * Report templates, as data stewards write them, and the reports made from
 * them: every figure read through the analytics service with the caller's
 * scope, so a report says what the screens say, with the same marks.
 */
export class ReportsService {
  private readonly analytics: AnalyticsService;

  constructor(private readonly ctx: AppContext) {
    this.analytics = new AnalyticsService(ctx);
  }

  private repo(): ReportTemplatesRepository {
    return new ReportTemplatesRepository(this.ctx.store.db);
  }

  async list(): Promise<ReportTemplateSummary[]> {
    return (await this.repo().list()).map((t) => ({ code: t.document.code, title: t.document.title, ...(t.document.demo !== undefined ? { demo: t.document.demo } : {}), sections: t.document.sections.length, updatedAt: t.updatedAt }));
  }

  async get(code: string): Promise<ReportTemplate> {
    const t = await this.repo().get(code);
    if (!t) throw new AppError('unknown_report_template', `No report template has code ${code}`);
    return t.document;
  }

  /** Validates a template: its schema, its placeholders, the indicators it names against the catalogue. */
  async check(raw: unknown, pathCode?: string): Promise<ReportTemplate> {
    const claimed = typeof raw === 'object' && raw !== null ? (raw as { code?: unknown }).code : undefined;
    if (pathCode !== undefined && typeof claimed === 'string' && claimed !== pathCode) {
      throw refused([{ path: 'code', reason: 'code_does_not_match_path', message: `the template is ${claimed} but the path names ${pathCode}` }]);
    }
    const parsed = reportTemplateSchema.safeParse(raw);
    if (!parsed.success) throw refused(parsed.error.issues.map((i) => ({ path: i.path.map(String).join('.'), reason: i.code, message: i.message })));
    const known = new Set((await new IndicatorsRepository(this.ctx.store.db).all()).map((d) => d.code));
    const issues = checkTemplate(parsed.data, known);
    if (issues.length > 0) throw refused(issues);
    return parsed.data;
  }

  /** Saves a template; the change for the audit log says what it was before and after. */
  async put(code: string, raw: unknown): Promise<{ created: boolean; template: ReportTemplate; change: AuditChange }> {
    const template = await this.check(raw, code);
    const before = (await this.repo().get(code))?.document;
    const created = await this.repo().put(template, this.ctx.clock.now().toISOString());
    return { created, template, change: { action: created ? 'report_template.create' : 'report_template.update', entityKind: 'report_template', entityKey: code, ...(before ? { before } : {}), after: template } };
  }

  /** The report of a template for a period, figures filled as the caller's scope sees them. */
  async model(code: string, periodKey: string, scope: DataScope): Promise<ReportModel> {
    const template = await this.get(code);
    const sight = await this.analytics.sight(scope);
    const today = todayIn(this.ctx.clock);
    const province = this.ctx.config.province;
    const overviews = new Map<string, Map<string, OverviewItem>>();
    const overview = async (place: string) => {
      let m = overviews.get(place);
      if (!m) {
        const o = await this.analytics.overview({ placeCode: place, at: today, period: periodKey }, sight);
        m = new Map(o.indicators.map((i) => [i.code, i]));
        overviews.set(place, m);
      }
      return m;
    };
    const used = new Map<string, OverviewItem>();
    const item = async (code: string, place: string | null): Promise<OverviewItem> => {
      const i = (await overview(place ?? province)).get(code);
      if (!i) throw new AppError('unknown_indicator', `No indicator has code ${code}`);
      if (!used.has(code) || (place ?? province) === province) used.set(code, i);
      return i;
    };

    const fill = async (p: Placeholder): Promise<ReportRun> => {
      const i = await item(p.indicator, p.place);
      const name = i.names.vi;
      switch (p.kind) {
        case 'value':
          return { text: number(i.value), note: noteOf(i, name) };
        case 'plan_pct':
          // Compared only when complete: an incomplete figure has no percentage of plan, and says why.
          return i.percentOfPlan !== null ? { text: formatNumberVi(i.percentOfPlan), note: noteOf(i, name) } : { text: i.value !== null && !i.complete ? 'chưa đủ số liệu để so sánh' : MISSING, note: noteOf(i, name) };
        case 'ytd':
          return i.ytd ? { text: number(i.ytd.value), note: noteOf({ value: i.ytd.value, complete: i.ytd.complete, coverage: i.ytd.coverage, provisional: i.ytd.provisional }, `${name} (lũy kế)`) } : { text: MISSING };
        case 'ytd_plan_pct':
          return { text: i.ytd?.percentOfYearPlan != null ? formatNumberVi(i.ytd.percentOfYearPlan) : MISSING };
        case 'same_period_last_year':
          return { text: number(i.samePeriodLastYear?.value) };
        case 'change': {
          const g = i.samePeriodLastYear?.growth ?? null;
          return g !== null ? { text: `${g >= 0 ? 'tăng' : 'giảm'} ${formatNumberVi(Math.abs(g))} %` } : { text: i.value !== null && !i.complete ? 'chưa đủ số liệu để so sánh' : MISSING, note: noteOf(i, name) };
        }
        case 'rank':
          return { text: await this.rank(p.indicator, p.place ?? province, today, periodKey, sight) };
        case 'unit':
          return { text: i.unit };
        case 'name':
          return { text: name };
      }
    };

    const blocks: ReportBlock[] = [];
    for (const s of template.sections) {
      if (s.heading) blocks.push({ kind: 'heading', text: s.heading });
      if (s.kind === 'text') {
        for (const para of s.paragraphs) {
          const runs: ReportRun[] = [];
          for (const part of splitParagraph(para)) runs.push(typeof part === 'string' ? { text: part } : await fill(part));
          blocks.push({ kind: 'paragraph', paragraph: { runs } });
        }
      } else if (s.kind === 'chart') {
        blocks.push({ kind: 'chart', chart: await this.chart(s, await item(s.indicator, s.place ?? null), s.place ?? province, periodKey, today, sight) });
      } else {
        const place = s.place ?? province;
        const columns: Array<{ item: OverviewItem; rows: Map<string, BreakdownResponse['items'][number]>; order: BreakdownResponse['items'] }> = [];
        for (const code of s.indicators) {
          const b = await this.analytics.breakdown({ code, placeCode: place, at: today, period: periodKey, by: s.by }, sight);
          columns.push({ item: await item(code, place), rows: new Map(b.items.map((r) => [r.key, r])), order: b.items });
        }
        const keys = new Map<string, string>();
        for (const c of columns) for (const r of c.order) if (!keys.has(r.key)) keys.set(r.key, r.name);
        blocks.push({
          kind: 'table',
          table: {
            header: [s.by === 'place' ? 'Xã, phường' : 'Cơ quan', ...columns.map((c) => (c.item.unit ? `${c.item.names.vi} (${c.item.unit})` : c.item.names.vi))],
            rows: [...keys].map(([key, name]) => [
              { text: name },
              ...columns.map((c) => {
                const r = c.rows.get(key);
                return r ? { text: number(r.value), note: noteOf(r, `${c.item.names.vi}, ${name}`) } : { text: '—' };
              }),
            ]),
          },
        });
      }
    }

    const provenance: ReportProvenance[] = [...used.values()].map((i) => ({
      indicator: i.code,
      name: i.names.vi,
      unit: i.unit,
      source: i.freshness.source?.name ?? i.freshness.source?.code ?? null,
      organisation: i.freshness.organisation?.name ?? i.owner?.name ?? null,
      updatedOn: i.updatedAt ? vietnamDate(new Date(i.updatedAt)) : null,
    }));
    return {
      code: template.code,
      issuer: template.issuer ?? null,
      title: template.title.vi,
      periodLabel: periodLabels(parsePeriod(periodKey)).vi,
      periodKey,
      renderedOn: today,
      blocks,
      provenance,
    };
  }

  /**
   * A chart section drawn from the same figures the screens show: the
   * indicator month by month up to the report's period beside the same
   * months a year before, or the units under the place for the period,
   * largest first. A provisional or incomplete point is marked, never
   * drawn as if it were final.
   */
  private async chart(s: ChartSection, i: OverviewItem, place: string, periodKey: string, at: string, sight: Sight): Promise<ReportChart> {
    const name = i.unit ? `${i.names.vi} (${i.unit})` : i.names.vi;
    const marked: string[] = [];
    const mark = (label: string, f: Pick<FigureView, 'value' | 'complete' | 'provisional'>) => {
      if (f.value === null || (f.complete && !f.provisional)) return label;
      marked.push(`${label} ${f.complete ? 'sơ bộ' : 'chưa đủ đơn vị báo cáo'}`);
      return `${label}*`;
    };
    const noted = () => (marked.length ? `* Số liệu sơ bộ hoặc chưa đầy đủ: ${marked.join('; ')}.` : undefined);
    if (s.chart === 'months') {
      const to = parsePeriod(periodKey);
      let from = to;
      for (let k = 1; k < (s.months ?? 12); k++) from = previousPeriod(from);
      const series = await this.analytics.series({ code: s.indicator, placeCode: place, at, from: periodKey_(from), to: periodKey }, sight);
      const label = (key: string) => (/^\d{4}-\d{2}$/.test(key) ? `${key.slice(5)}/${key.slice(0, 4)}` : periodLabels(parsePeriod(key)).vi);
      return {
        kind: 'line',
        caption: `${name}, ${series.place.name}`,
        labels: series.points.map((pt) => mark(label(pt.period), pt)),
        series: [
          { name: 'Kỳ này', values: series.points.map((pt) => pt.value) },
          { name: 'Cùng kỳ năm trước', values: series.points.map((pt) => pt.samePeriodLastYear) },
        ],
        note: noted(),
      };
    }
    const b = await this.analytics.breakdown({ code: s.indicator, placeCode: place, at, period: periodKey, by: 'place' }, sight);
    const drawn = b.items
      .filter((r) => r.value !== null)
      .sort((a, c) => c.value! - a.value! || a.name.localeCompare(c.name, 'vi'))
      .slice(0, s.top ?? 15);
    const shown = drawn.length < b.items.length ? ` (${formatNumberVi(drawn.length, 0)} đơn vị cao nhất trong ${formatNumberVi(b.items.length, 0)})` : '';
    return {
      kind: 'bar',
      caption: `${name}, ${periodLabels(parsePeriod(periodKey)).vi}${shown}`,
      labels: drawn.map((r) => mark(r.name, r)),
      series: [{ name: i.names.vi, values: drawn.map((r) => r.value) }],
      note: noted(),
    };
  }

  /** A unit's rank among the units of its level; an incomplete figure is not ranked, and says so. */
  private async rank(code: string, place: string, at: string, period: string, sight: Sight): Promise<string> {
    const level = (await this.analytics.overview({ placeCode: place, at, period }, sight)).place.level;
    const r = await this.analytics.ranking({ code, at, period, level }, sight);
    const mine = r.items.find((x) => x.place.code === place);
    if (!mine || mine.rank === null) return 'chưa xếp hạng';
    return `${formatNumberVi(mine.rank, 0)}/${formatNumberVi(r.items.filter((x) => x.rank !== null).length, 0)}`;
  }
}
