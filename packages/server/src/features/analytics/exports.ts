import type { BreakdownResponse, ExportTable, FigureView, Language, Localised, SeriesResponse, TableColumn, TableNote } from '@watchfloor/core';
import { IndicatorsRepository } from '@watchfloor/db';
import type { AppContext } from '../../context';

/**
 * The breakdown and the series of an indicator as tables to export: the
 * rows of the JSON answer, with the indicator's name and unit in the
 * header and each figure's coverage, freshness and source beside it.
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
