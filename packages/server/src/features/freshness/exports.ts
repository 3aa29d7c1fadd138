import type { ExportTable, LateResponse, Language, TableCell } from '@watchfloor/core';

/**
 * What is late as a table to export: the late sources (those in the
 * caller's scope), then the late indicators, each the most overdue first,
 * with the agency that answers for it, when it last delivered, the deadline
 * missed and by how many days; the agencies to remind are in the notes.
 */
export function lateTable(late: LateResponse, lang: Language): ExportTable {
  const days = (seconds: number | null) => (seconds === null ? null : seconds / 86_400);
  const agency = (code: string | null, name: string | null) => (code === null ? null : name ? `${code} — ${name}` : code);
  const sources = late.sources.map((s): TableCell[] => [
    lang === 'vi' ? 'Nguồn' : 'Source',
    s.source,
    s.name,
    agency(s.ownerOrganisationCode, s.ownerOrganisationName),
    null,
    s.lastArrivalAt,
    s.lastPeriodEnd,
    s.dueAt,
    s.lateSince,
    days(s.lateSeconds),
    s.missingPeriod,
  ]);
  const indicators = late.indicators.map((i): TableCell[] => [
    lang === 'vi' ? 'Chỉ tiêu' : 'Indicator',
    i.indicator,
    i.names[lang],
    agency(i.organisation?.code ?? null, i.organisation?.name ?? null),
    i.source ? (i.source.name ?? i.source.code) : null,
    i.lastRecordedAt,
    i.lastPeriodEnd,
    i.dueAt,
    i.lateSince,
    days(i.lateSeconds),
    i.missingPeriod,
  ]);
  const agencies = late.agencies
    .map((a) =>
      lang === 'vi'
        ? `${a.organisationCode}${a.organisationName ? ` ${a.organisationName}` : ''}: ${a.lateSources} nguồn, ${a.lateIndicators} chỉ tiêu`
        : `${a.organisationCode}${a.organisationName ? ` ${a.organisationName}` : ''}: ${a.lateSources} sources, ${a.lateIndicators} indicators`,
    )
    .join('; ');
  return {
    name: `late-${late.asOf.slice(0, 10)}`,
    title: { vi: 'Nguồn và chỉ tiêu trễ hạn', en: 'Late sources and indicators' },
    columns: [
      { header: { vi: 'Loại', en: 'Kind' }, kind: 'text' },
      { header: { vi: 'Mã', en: 'Code' }, kind: 'text' },
      { header: { vi: 'Tên', en: 'Name' }, kind: 'text' },
      { header: { vi: 'Cơ quan chịu trách nhiệm', en: 'Accountable agency' }, kind: 'text' },
      { header: { vi: 'Nguồn nộp', en: 'Delivered by' }, kind: 'text' },
      { header: { vi: 'Nhận lần cuối', en: 'Last arrival' }, kind: 'datetime' },
      { header: { vi: 'Kỳ đã nộp đến', en: 'Delivered up to' }, kind: 'date' },
      { header: { vi: 'Hạn nộp', en: 'Due' }, kind: 'datetime' },
      { header: { vi: 'Trễ từ', en: 'Late since' }, kind: 'datetime' },
      { header: { vi: 'Số ngày trễ', en: 'Days late' }, kind: 'number', decimals: 1 },
      { header: { vi: 'Kỳ còn thiếu', en: 'Period missing' }, kind: 'text' },
    ],
    rows: [...sources, ...indicators],
    notes: [
      { label: { vi: 'Tính đến', en: 'As of' }, value: late.asOf },
      { label: { vi: 'Nguồn trễ hạn', en: 'Late sources' }, value: String(late.sources.length) },
      { label: { vi: 'Chỉ tiêu trễ hạn', en: 'Late indicators' }, value: String(late.indicators.length) },
      { label: { vi: 'Cơ quan cần nhắc (trễ nhiều nhất trước)', en: 'Agencies to remind (the latest first)' }, value: agencies || '—' },
      {
        label: { vi: 'Phạm vi', en: 'Scope' },
        value: { vi: 'Các nguồn trong phạm vi của người xuất; mọi chỉ tiêu', en: 'The sources within the exporting user’s scope; every indicator' },
      },
      { label: { vi: 'Hạn nộp', en: 'Deadlines' }, value: { vi: 'Theo lịch nộp của nguồn, hoặc của chỉ tiêu khi không có nguồn đăng ký', en: 'The source’s delivery schedule, or the indicator’s own when no registered source supplies it' } },
    ],
  };
}
