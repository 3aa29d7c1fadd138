import type { IndicatorDefinitionInput } from '@watchfloor/core';

const base = { kind: 'base', unit: 'hồ sơ', domain: 'public_services', frequency: 'month', direction: 'higher_is_better', aggregation: { places: 'sum', time: 'sum' } } as const;
/** A small catalogue for tests: dossier counts and their on-time rate, a derived backlog, a daily measure, a yearly total. */
export const TEST_CATALOGUE: IndicatorDefinitionInput[] = [
  { ...base, code: 'DOSSIERS_RECEIVED', names: { vi: 'Hồ sơ tiếp nhận', en: 'Dossiers received' } },
  { ...base, code: 'DOSSIERS_RESOLVED', names: { vi: 'Hồ sơ đã giải quyết', en: 'Dossiers resolved' } },
  { ...base, code: 'DOSSIERS_ON_TIME', names: { vi: 'Hồ sơ giải quyết đúng hạn', en: 'Dossiers resolved on time' } },
  {
    ...base,
    code: 'DOSSIERS_ON_TIME_RATE',
    unit: '%',
    names: { vi: 'Tỷ lệ hồ sơ đúng hạn', en: 'On-time rate' },
    aggregation: { places: 'ratio', time: 'ratio' },
    ratio: { numerator: 'DOSSIERS_ON_TIME', denominator: 'DOSSIERS_RESOLVED', multiplier: 100 },
    thresholds: { green: 95, amber: 85 },
  },
  { ...base, code: 'REPORTS_RECEIVED', domain: 'citizen_reports', unit: 'phản ánh', names: { vi: 'Phản ánh tiếp nhận', en: 'Reports received' }, delivery: { afterPeriodEndDays: 5 }, ownerOrganisationCode: 'VL-VP' },
  { ...base, kind: 'derived', code: 'DOSSIERS_PENDING', names: { vi: 'Hồ sơ tồn', en: 'Dossiers pending' }, formula: 'DOSSIERS_RECEIVED - DOSSIERS_RESOLVED' },
  // A mean over readings: the readings of merged units are pooled (regroup by sum), unlike a score.
  { ...base, code: 'PM25', unit: 'µg/m³', domain: 'environment', frequency: 'day', direction: 'lower_is_better', aggregation: { places: 'mean', time: 'mean' }, regroup: { by: 'sum' }, validRange: { min: 0, max: 1000 }, names: { vi: 'Bụi PM2.5', en: 'PM2.5' } },
  { ...base, code: 'WATER_LEVEL_MAX', unit: 'cm', domain: 'environment', frequency: 'day', direction: 'lower_is_better', aggregation: { places: 'max', time: 'max' }, names: { vi: 'Mực nước cao nhất', en: 'Highest water level' } },
  { ...base, code: 'GRDP', unit: 'tỷ đồng', domain: 'economy', frequency: 'year', names: { vi: 'GRDP', en: 'GRDP' } },
];

