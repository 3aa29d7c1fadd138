import {
  AppError,
  historyRange,
  panelPeriodKey,
  panelPlace,
  type Dashboard,
  type ExportTable,
  type FigureView,
  type IsoDate,
  type Language,
  type Localised,
  type OverviewResponse,
  type Panel,
  type TableCell,
} from '@watchfloor/core';
import type { AnalyticsService, Sight } from '../analytics/service';

/**
 * A dashboard's figures as one table: what each of its indicator panels
 * shows for the place and date viewed, read through the same analytics
 * answers the screen's panels read (the overview for tiles, the series a
 * chart draws, the breakdown a map colours or a ranking lists). The board's
 * JSON answer is the document only; its panels fetch their figures, so the
 * export fetches them the same way. Feeds, PAR Index and directives panels
 * hold no indicator figures and are named in the notes instead.
 */

const YES: Localised = { vi: 'có', en: 'yes' };
const NO: Localised = { vi: 'không', en: 'no' };
const KIND: Record<Panel['kind'], Localised> = {
  tiles: { vi: 'Ô chỉ tiêu', en: 'Tiles' },
  chart: { vi: 'Biểu đồ', en: 'Chart' },
  map: { vi: 'Bản đồ', en: 'Map' },
  ranking: { vi: 'Xếp hạng', en: 'Ranking' },
  feed: { vi: 'Tin mới', en: 'Feed' },
  par: { vi: 'Chỉ số CCHC', en: 'PAR Index' },
  directives: { vi: 'Nhiệm vụ chỉ đạo', en: 'Directive tasks' },
};

/** An incomplete figure is neither coloured nor ranked (as on the screen). */
const incomplete = (f: FigureView) => f.value !== null && !f.complete && f.coverage !== null;

export async function dashboardTable(
  analytics: AnalyticsService,
  board: Dashboard,
  view: { viewed: string; at: IsoDate },
  sight: Sight,
  lang: Language,
): Promise<ExportTable> {
  const overviews = new Map<string, Promise<OverviewResponse>>();
  const overviewOf = (placeCode: string, period: string) => {
    const key = `${placeCode}|${period}`;
    let o = overviews.get(key);
    if (!o) overviews.set(key, (o = analytics.overview({ placeCode, at: view.at, period }, sight)));
    return o;
  };
  const skipped: string[] = [];
  const unreadable: string[] = [];
  const notApplicable: string[] = [];

  const rowsOf = async (panel: Panel): Promise<TableCell[][]> => {
    if (panel.kind === 'feed' || panel.kind === 'par' || panel.kind === 'directives') {
      skipped.push(`${panel.id} (${KIND[panel.kind][lang]})`);
      return [];
    }
    const placeCode = panelPlace(panel, view.viewed);
    const o = await overviewOf(placeCode, panelPeriodKey(panel.period, view.at));
    // Places by their own (Vietnamese) names, as the breakdown names its units.
    const place = `${o.place.code} — ${o.place.name}`;
    const row = (title: string, code: string, name: string, unitPlace: string, period: string, f: FigureView, unit: string): TableCell[] => [
      title,
      KIND[panel.kind][lang],
      code,
      name,
      unitPlace,
      period,
      f.value,
      unit || null,
      (f.complete ? YES : NO)[lang],
      f.freshness.source ? (f.freshness.source.name ?? f.freshness.source.code) : null,
      f.updatedAt,
    ];
    if (panel.kind === 'tiles') {
      const title = panel.title?.[lang] ?? `${o.place.name} · ${o.period.labels[lang]}`;
      return panel.indicators.flatMap((code) => {
        const item = o.indicators.find((i) => i.code === code);
        if (!item) {
          unreadable.push(`${panel.id}: ${code}`);
          return [];
        }
        if (item.applicable) return [row(title, code, item.names[lang], place, o.period.key, item, item.unit)];
        notApplicable.push(`${panel.id}: ${code}`);
        return [];
      });
    }
    const item = o.indicators.find((i) => i.code === panel.indicator);
    if (!item) {
      unreadable.push(`${panel.id}: ${panel.indicator}`);
      return [];
    }
    const title = panel.title?.[lang] ?? item.names[lang];
    if (panel.kind === 'chart') {
      const range = historyRange(o.period.key);
      if (!range) return [];
      const series = await analytics.series({ code: panel.indicator, placeCode, at: view.at, ...range }, sight);
      return series.points.map((p) => row(title, item.code, item.names[lang], place, p.period, p, item.unit));
    }
    const breakdown = await analytics.breakdown({ code: panel.indicator, placeCode, at: view.at, period: o.period.key, by: 'place' }, sight);
    let items = breakdown.items;
    if (panel.kind === 'ranking') {
      // As the panel lists them: incomplete figures left out, best first by the indicator's direction, the first `limit`.
      const sign = item.direction === 'lower_is_better' ? 1 : -1;
      items = items
        .filter((i) => !incomplete(i))
        .sort((a, b) => (a.value === null ? (b.value === null ? a.name.localeCompare(b.name, 'vi') : 1) : b.value === null ? -1 : sign * (a.value - b.value) || a.name.localeCompare(b.name, 'vi')))
        .slice(0, panel.limit);
    }
    return items.map((i) => row(title, item.code, item.names[lang], `${i.key} — ${i.name}`, breakdown.period, i, item.unit));
  };

  const rows: TableCell[][] = [];
  // Panels in reading order (top to bottom, left to right), as the screen reads them to a keyboard.
  const order = [...board.panels].sort((a, b) => a.layout.y - b.layout.y || a.layout.x - b.layout.x);
  for (const panel of order) {
    try {
      rows.push(...(await rowsOf(panel)));
    } catch (err) {
      // A panel whose indicator the caller may not read, or whose place is unknown, is left out and named.
      if (!(err instanceof AppError)) throw err;
      unreadable.push(`${panel.id}: ${err.code}`);
    }
  }
  const sources = [...new Set(rows.map((r) => r[9]).filter((s): s is string => typeof s === 'string'))];
  return {
    name: `dashboard-${board.code}-${view.viewed}-${view.at}`,
    title: { vi: `${board.title.vi} — số liệu các ô`, en: `${board.title.en} — panel figures` },
    columns: [
      { header: { vi: 'Ô', en: 'Panel' }, kind: 'text' },
      { header: { vi: 'Loại ô', en: 'Panel kind' }, kind: 'text' },
      { header: { vi: 'Mã chỉ tiêu', en: 'Indicator code' }, kind: 'text' },
      { header: { vi: 'Chỉ tiêu', en: 'Indicator' }, kind: 'text' },
      { header: { vi: 'Địa bàn', en: 'Place' }, kind: 'text' },
      { header: { vi: 'Kỳ', en: 'Period' }, kind: 'text' },
      { header: { vi: 'Giá trị', en: 'Value' }, kind: 'number' },
      { header: { vi: 'Đơn vị tính', en: 'Unit' }, kind: 'text' },
      { header: { vi: 'Đủ số liệu', en: 'Complete' }, kind: 'text' },
      { header: { vi: 'Nguồn', en: 'Source' }, kind: 'text' },
      { header: { vi: 'Cập nhật lúc', en: 'Updated at' }, kind: 'datetime' },
    ],
    rows,
    notes: [
      { label: { vi: 'Bảng điều khiển', en: 'Dashboard' }, value: { vi: `${board.code} — ${board.title.vi}`, en: `${board.code} — ${board.title.en}` } },
      { label: { vi: 'Địa bàn đang xem', en: 'Place viewed' }, value: view.viewed },
      { label: { vi: 'Số liệu tính đến ngày', en: 'As of' }, value: view.at },
      { label: { vi: 'Nguồn số liệu', en: 'Sources' }, value: sources.length ? sources.join('; ') : '—' },
      { label: { vi: 'Ô không có số liệu chỉ tiêu (không có trong bảng)', en: 'Panels without indicator figures (not in the table)' }, value: skipped.length ? skipped.join('; ') : '—' },
      ...(notApplicable.length
        ? [{ label: { vi: 'Chỉ tiêu không áp dụng cho địa bàn, kỳ của ô (như trên màn hình)', en: 'Indicators not applicable to the panel’s place and period (as on the screen)' }, value: notApplicable.join('; ') }]
        : []),
      ...(unreadable.length ? [{ label: { vi: 'Không đọc được', en: 'Not readable' }, value: unreadable.join('; ') }] : []),
      {
        label: { vi: 'Ghi chú', en: 'Note' },
        value: {
          vi: 'Số liệu chưa đủ không được xếp hạng; mỗi ô theo kỳ và địa bàn của nó như trên màn hình',
          en: 'Incomplete figures are not ranked; each panel at its own period and place, as on the screen',
        },
      },
    ],
  };
}
