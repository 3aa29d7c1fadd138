import { SCORECARD_COMPONENTS, type ExportTable, type Localised, type ScorecardComponentKey, type ScorecardsResponse, type TableCell, type TableColumn } from '@watchfloor/core';

/** The scorecards as a table to export: one row per agency, best first, each component's rate and its parts. */

const COMPONENT: Record<ScorecardComponentKey, Localised> = {
  dossierOnTime: { vi: 'Hồ sơ TTHC đúng hạn', en: 'Dossiers on time' },
  caseOnTime: { vi: 'Phản ánh xử lý đúng hạn', en: 'Cases on time' },
  directivesOnTime: { vi: 'Nhiệm vụ chỉ đạo đúng hạn', en: 'Directive tasks on time' },
  dataPunctuality: { vi: 'Số liệu đúng hạn', en: 'Data on time' },
};

export function scorecardsTable(s: ScorecardsResponse): ExportTable {
  const componentColumns = SCORECARD_COMPONENTS.flatMap((key): TableColumn[] => [
    { header: COMPONENT[key], unit: '%', kind: 'number', decimals: 1 },
    { header: { vi: `${COMPONENT[key].vi}: đạt`, en: `${COMPONENT[key].en}: met` }, kind: 'integer' },
    { header: { vi: `${COMPONENT[key].vi}: tổng`, en: `${COMPONENT[key].en}: of` }, kind: 'integer' },
  ]);
  return {
    name: `scorecards-${s.place.code}-${s.period.key}`,
    title: { vi: `Bảng xếp hạng cơ quan — ${s.place.name}, kỳ ${s.period.key}`, en: `Agency scorecards — ${s.place.name}, period ${s.period.key}` },
    columns: [
      { header: { vi: 'Hạng', en: 'Rank' }, kind: 'integer' },
      { header: { vi: 'Mã cơ quan', en: 'Agency code' }, kind: 'text' },
      { header: { vi: 'Cơ quan', en: 'Agency' }, kind: 'text' },
      { header: { vi: 'Điểm tổng hợp', en: 'Composite' }, unit: '0–100', kind: 'number', decimals: 1 },
      ...componentColumns,
      { header: { vi: 'Phản ánh đã xử lý', en: 'Cases handled' }, kind: 'integer' },
      { header: { vi: 'Nguồn, chỉ tiêu trễ hạn', en: 'Late sources and indicators' }, kind: 'integer' },
    ],
    rows: s.agencies.map((a) => [
      a.rank,
      a.organisation.code,
      a.organisation.name,
      a.composite,
      ...SCORECARD_COMPONENTS.flatMap((key): TableCell[] => {
        const c = a.components.find((x) => x.key === key);
        return [c?.value == null ? null : c.value * 100, c?.numerator ?? null, c?.denominator ?? null];
      }),
      a.casesHandled,
      a.lateData,
    ]),
    notes: [
      { label: { vi: 'Địa bàn', en: 'Place' }, value: `${s.place.code} — ${s.place.name}` },
      { label: { vi: 'Kỳ', en: 'Period' }, value: `${s.period.key} (${s.period.from} – ${s.period.to})` },
      { label: { vi: 'Tính đến', en: 'As of' }, value: s.asOf },
      {
        label: { vi: 'Trọng số', en: 'Weights' },
        value: SCORECARD_COMPONENTS.map((k) => `${COMPONENT[k].vi} ${Math.round(s.weights[k] * 100)} %`).join('; '),
      },
      { label: { vi: 'Nguồn', en: 'Sources' }, value: { vi: 'Hồ sơ TTHC (Quyết định 766), phản ánh, nhiệm vụ chỉ đạo và lịch nộp số liệu của các cơ quan', en: 'Dossiers (Decision 766), cases, directive tasks and the agencies’ data schedules' } },
      { label: { vi: 'Phạm vi', en: 'Scope' }, value: { vi: 'Chỉ các cơ quan và bản ghi trong phạm vi của người xuất', en: 'Only the agencies and records within the exporting user’s scope' } },
    ],
  };
}
