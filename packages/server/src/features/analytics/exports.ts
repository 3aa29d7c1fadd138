import type {
  BreakdownResponse,
  ExportTable,
  FigureView,
  Language,
  Localised,
  OrganisationRankingResponse,
  OverviewResponse,
  RankingResponse,
  SeriesResponse,
  TableColumn,
  TableNote,
} from '@watchfloor/core';
import { IndicatorsRepository } from '@watchfloor/db';
import type { AppContext } from '../../context';

/**
 * The overview, the breakdown and the series of an indicator, and the
 * rankings, as tables to export: the rows of the JSON answer, with the
 * indicator's name and unit in the header (or a unit column where each row
 * has its own) and each figure's coverage, freshness and source beside it.
 */

const STATE: Record<FigureView['freshness']['state'], Localised> = {
  fresh: { vi: 'đã nộp', en: 'delivered' },
  awaiting: { vi: 'chưa đến hạn', en: 'not yet due' },
  late: { vi: 'trễ hạn', en: 'late' },
  no_expectation: { vi: 'không có hạn', en: 'no deadline' },
};
const YES: Localised = { vi: 'có', en: 'yes' };
const NO: Localised = { vi: 'không', en: 'no' };

/** The columns every figure carries after its value. */
const FIGURE_COLUMNS: TableColumn[] = [
  { header: { vi: 'Sơ bộ', en: 'Provisional' }, kind: 'text' },
  { header: { vi: 'Đủ số liệu', en: 'Complete' }, kind: 'text' },
  { header: { vi: 'Đơn vị đã báo cáo', en: 'Units reported' }, kind: 'integer' },
  { header: { vi: 'Đơn vị phải báo cáo', en: 'Units expected' }, kind: 'integer' },
  { header: { vi: 'Cập nhật lúc', en: 'Updated at' }, kind: 'datetime' },
  { header: { vi: 'Nguồn', en: 'Source' }, kind: 'text' },
  { header: { vi: 'Cơ quan chịu trách nhiệm', en: 'Accountable agency' }, kind: 'text' },
  { header: { vi: 'Tình trạng số liệu', en: 'Data state' }, kind: 'text' },
];

function figureCells(f: FigureView, lang: Language) {
  return [
    (f.provisional ? YES : NO)[lang],
    (f.complete ? YES : NO)[lang],
    f.coverage?.reported ?? null,
    f.coverage?.expected ?? null,
    f.updatedAt,
    f.freshness.source ? (f.freshness.source.name ?? f.freshness.source.code) : null,
    f.freshness.organisation ? (f.freshness.organisation.name ?? f.freshness.organisation.code) : null,
    STATE[f.freshness.state][lang],
  ];
}

/** What the notes sheet says of a set of figures: where they come from, how fresh and how complete. */
function figureNotes(figures: readonly FigureView[], head: TableNote[]): TableNote[] {
  const sources = [...new Set(figures.map((f) => f.freshness.source?.name ?? f.freshness.source?.code).filter((s): s is string => !!s))];
  const updated = figures.map((f) => f.updatedAt).filter((u): u is string => !!u).sort();
  const incomplete = figures.filter((f) => f.value !== null && !f.complete).length;
  const provisional = figures.filter((f) => f.provisional).length;
  const late = figures.filter((f) => f.freshness.state === 'late').length;
  return [
    ...head,
    { label: { vi: 'Nguồn số liệu', en: 'Sources' }, value: sources.length ? sources.join('; ') : '—' },
    { label: { vi: 'Cập nhật mới nhất', en: 'Last updated' }, value: updated.at(-1) ?? '—' },
    { label: { vi: 'Số liệu trễ hạn', en: 'Late figures' }, value: String(late) },
    { label: { vi: 'Số liệu chưa đủ (độ bao phủ)', en: 'Incomplete figures (coverage)' }, value: String(incomplete) },
    { label: { vi: 'Số liệu sơ bộ', en: 'Provisional figures' }, value: String(provisional) },
  ];
}

async function indicatorOf(ctx: AppContext, code: string): Promise<{ names: Localised; unit: string }> {
  const def = await new IndicatorsRepository(ctx.store.db).get(code);
  return { names: def?.names ?? { vi: code, en: code }, unit: def?.unit ?? '' };
}

const valueColumn = (unit: string): TableColumn => ({ header: { vi: 'Giá trị', en: 'Value' }, ...(unit ? { unit } : {}), kind: 'number' });

export async function breakdownTable(ctx: AppContext, b: BreakdownResponse, lang: Language): Promise<ExportTable> {
  const ind = await indicatorOf(ctx, b.indicator);
  const byPlace = b.by === 'place';
  return {
    name: `breakdown-${b.indicator}-${b.place.code}-${b.period}`,
    title: { vi: `${ind.names.vi} — ${b.place.name}, kỳ ${b.period}, theo ${byPlace ? 'đơn vị hành chính' : 'cơ quan'}`, en: `${ind.names.en} — ${b.place.nameEn ?? b.place.name}, period ${b.period}, by ${byPlace ? 'unit' : 'agency'}` },
    columns: [
      { header: byPlace ? { vi: 'Mã đơn vị', en: 'Unit code' } : { vi: 'Mã cơ quan', en: 'Agency code' }, kind: 'text' },
      { header: byPlace ? { vi: 'Đơn vị hành chính', en: 'Administrative unit' } : { vi: 'Cơ quan', en: 'Agency' }, kind: 'text' },
      valueColumn(ind.unit),
      ...FIGURE_COLUMNS,
    ],
    rows: b.items.map((i) => [i.key, i.name, i.value, ...figureCells(i, lang)]),
    notes: figureNotes(b.items, [
      { label: { vi: 'Chỉ tiêu', en: 'Indicator' }, value: { vi: `${b.indicator} — ${ind.names.vi}`, en: `${b.indicator} — ${ind.names.en}` } },
      { label: { vi: 'Đơn vị tính', en: 'Unit' }, value: ind.unit || '—' },
      { label: { vi: 'Địa bàn', en: 'Place' }, value: `${b.place.code} — ${b.place.name}` },
      { label: { vi: 'Kỳ', en: 'Period' }, value: b.period },
      { label: { vi: 'Số liệu tính đến ngày', en: 'As of' }, value: b.at },
    ]),
  };
}

export async function seriesTable(ctx: AppContext, s: SeriesResponse, lang: Language): Promise<ExportTable> {
  const ind = await indicatorOf(ctx, s.indicator);
  return {
    name: `series-${s.indicator}-${s.place.code}`,
    title: { vi: `${ind.names.vi} — ${s.place.name}, theo kỳ`, en: `${ind.names.en} — ${s.place.nameEn ?? s.place.name}, by period` },
    columns: [
      { header: { vi: 'Kỳ', en: 'Period' }, kind: 'text' },
      valueColumn(ind.unit),
      { header: { vi: 'Kế hoạch', en: 'Plan' }, ...(ind.unit ? { unit: ind.unit } : {}), kind: 'number' },
      { header: { vi: 'Cùng kỳ năm trước', en: 'Same period last year' }, ...(ind.unit ? { unit: ind.unit } : {}), kind: 'number' },
      ...FIGURE_COLUMNS,
    ],
    rows: s.points.map((p) => [p.period, p.value, p.target, p.samePeriodLastYear, ...figureCells(p, lang)]),
    chart: { x: 0, lines: [1, 2] },
    notes: figureNotes(s.points, [
      { label: { vi: 'Chỉ tiêu', en: 'Indicator' }, value: { vi: `${s.indicator} — ${ind.names.vi}`, en: `${s.indicator} — ${ind.names.en}` } },
      { label: { vi: 'Đơn vị tính', en: 'Unit' }, value: ind.unit || '—' },
      { label: { vi: 'Địa bàn', en: 'Place' }, value: `${s.place.code} — ${s.place.name}` },
      { label: { vi: 'Số liệu tính đến ngày', en: 'As of' }, value: s.at },
    ]),
  };
}

/**
 * The overview's tiles as rows: each indicator that applies to the place
 * and period (as the screen shows them; the others are counted in the
 * notes), its figure with its unit, plan, year to date against the year
 * plan, same period last year and status, then whether it is provisional
 * and complete, when it was updated, its source and whether it is late.
 * The place and period are the whole table's: in its title and notes.
 */
export function overviewTable(o: OverviewResponse, lang: Language): ExportTable {
  const shown = o.indicators.filter((i) => i.applicable);
  const placeName: Localised = { vi: o.place.name, en: o.place.nameEn ?? o.place.name };
  return {
    name: `overview-${o.place.code}-${o.period.key}`,
    title: { vi: `Tổng quan chỉ tiêu — ${placeName.vi}, ${o.period.labels.vi}`, en: `Indicator overview — ${placeName.en}, ${o.period.labels.en}` },
    columns: [
      { header: { vi: 'Mã chỉ tiêu', en: 'Indicator code' }, kind: 'text' },
      { header: { vi: 'Chỉ tiêu', en: 'Indicator' }, kind: 'text' },
      { header: { vi: 'Giá trị', en: 'Value' }, kind: 'number' },
      { header: { vi: 'Đơn vị tính', en: 'Unit' }, kind: 'text' },
      { header: { vi: 'Kế hoạch', en: 'Plan' }, kind: 'number' },
      { header: { vi: 'So với kế hoạch', en: 'Of plan' }, unit: '%', kind: 'number', decimals: 1 },
      { header: { vi: 'Lũy kế so với kế hoạch năm', en: 'Year to date of year plan' }, unit: '%', kind: 'number', decimals: 1 },
      { header: { vi: 'Cùng kỳ năm trước', en: 'Same period last year' }, kind: 'number' },
      { header: { vi: 'Tăng/giảm so với cùng kỳ', en: 'Change on last year' }, unit: '%', kind: 'number', decimals: 1 },
      { header: { vi: 'Đánh giá', en: 'Status' }, kind: 'text' },
      { header: { vi: 'Sơ bộ', en: 'Provisional' }, kind: 'text' },
      { header: { vi: 'Đủ số liệu', en: 'Complete' }, kind: 'text' },
      { header: { vi: 'Cập nhật lúc', en: 'Updated at' }, kind: 'datetime' },
      { header: { vi: 'Nguồn', en: 'Source' }, kind: 'text' },
      { header: { vi: 'Tình trạng số liệu', en: 'Data state' }, kind: 'text' },
    ],
    rows: shown.map((i) => [
      i.code,
      i.names[lang],
      i.value,
      i.unit || null,
      i.target,
      i.percentOfPlan,
      i.ytd?.percentOfYearPlan ?? null,
      i.samePeriodLastYear?.value ?? null,
      i.samePeriodLastYear?.growth ?? null,
      i.status.text[lang],
      (i.provisional ? YES : NO)[lang],
      (i.complete ? YES : NO)[lang],
      i.updatedAt,
      i.freshness.source ? (i.freshness.source.name ?? i.freshness.source.code) : null,
      STATE[i.freshness.state][lang],
    ]),
    notes: figureNotes(shown, [
      { label: { vi: 'Địa bàn', en: 'Place' }, value: `${o.place.code} — ${o.place.name}` },
      { label: { vi: 'Kỳ', en: 'Period' }, value: { vi: `${o.period.key} (${o.period.labels.vi})`, en: `${o.period.key} (${o.period.labels.en})` } },
      { label: { vi: 'Số liệu tính đến ngày', en: 'As of' }, value: o.at },
      {
        label: { vi: 'Chỉ tiêu không áp dụng (không có trong bảng)', en: 'Indicators not applicable (not in the table)' },
        value: String(o.indicators.length - shown.length),
      },
      ...(o.synthetic ? [{ label: { vi: 'Dữ liệu minh họa', en: 'Demonstration data' }, value: o.synthetic.text }] : []),
    ]),
  };
}

const RANK: TableColumn = { header: { vi: 'Hạng', en: 'Rank' }, kind: 'integer' };

/** Units of a level ranked by an indicator: rank, unit, value, then coverage, freshness and source. */
export async function rankingTable(ctx: AppContext, r: RankingResponse, lang: Language, level: string, parent: string | undefined): Promise<ExportTable> {
  const ind = await indicatorOf(ctx, r.indicator);
  return {
    name: `rankings-${r.indicator}-${level}${parent ? `-${parent}` : ''}-${r.period}`,
    title: { vi: `Xếp hạng theo ${ind.names.vi}, kỳ ${r.period}`, en: `Ranking by ${ind.names.en}, period ${r.period}` },
    columns: [RANK, { header: { vi: 'Mã đơn vị', en: 'Unit code' }, kind: 'text' }, { header: { vi: 'Đơn vị hành chính', en: 'Administrative unit' }, kind: 'text' }, valueColumn(ind.unit), ...FIGURE_COLUMNS],
    rows: r.items.map((i) => [i.rank, i.place.code, lang === 'en' ? (i.place.nameEn ?? i.place.name) : i.place.name, i.value, ...figureCells(i, lang)]),
    notes: figureNotes(r.items, [
      { label: { vi: 'Chỉ tiêu', en: 'Indicator' }, value: { vi: `${r.indicator} — ${ind.names.vi}`, en: `${r.indicator} — ${ind.names.en}` } },
      { label: { vi: 'Đơn vị tính', en: 'Unit' }, value: ind.unit || '—' },
      { label: { vi: 'Cấp', en: 'Level' }, value: level },
      ...(parent ? [{ label: { vi: 'Trực thuộc', en: 'Under' }, value: parent }] : []),
      { label: { vi: 'Kỳ', en: 'Period' }, value: r.period },
      { label: { vi: 'Số liệu tính đến ngày', en: 'As of' }, value: r.at },
      { label: { vi: 'Xếp hạng', en: 'Ranking' }, value: { vi: 'Số liệu chưa đủ hoặc không xác định không được xếp hạng (hạng để trống)', en: 'Incomplete or undefined figures are not ranked (rank left empty)' } },
    ]),
  };
}

/** Organisations reporting an indicator under a place, ranked: rank, agency, value, then coverage, freshness and source. */
export async function organisationRankingTable(ctx: AppContext, r: OrganisationRankingResponse, lang: Language): Promise<ExportTable> {
  const ind = await indicatorOf(ctx, r.indicator);
  return {
    name: `rankings-organisations-${r.indicator}-${r.place.code}-${r.period}`,
    title: {
      vi: `Xếp hạng cơ quan theo ${ind.names.vi} — ${r.place.name}, kỳ ${r.period}`,
      en: `Agencies ranked by ${ind.names.en} — ${r.place.nameEn ?? r.place.name}, period ${r.period}`,
    },
    columns: [RANK, { header: { vi: 'Mã cơ quan', en: 'Agency code' }, kind: 'text' }, { header: { vi: 'Cơ quan', en: 'Agency' }, kind: 'text' }, valueColumn(ind.unit), ...FIGURE_COLUMNS],
    rows: r.items.map((i) => [i.rank, i.key, i.name, i.value, ...figureCells(i, lang)]),
    notes: figureNotes(r.items, [
      { label: { vi: 'Chỉ tiêu', en: 'Indicator' }, value: { vi: `${r.indicator} — ${ind.names.vi}`, en: `${r.indicator} — ${ind.names.en}` } },
      { label: { vi: 'Đơn vị tính', en: 'Unit' }, value: ind.unit || '—' },
      { label: { vi: 'Địa bàn', en: 'Place' }, value: `${r.place.code} — ${r.place.name}` },
      { label: { vi: 'Kỳ', en: 'Period' }, value: r.period },
      { label: { vi: 'Số liệu tính đến ngày', en: 'As of' }, value: r.at },
    ]),
  };
}
