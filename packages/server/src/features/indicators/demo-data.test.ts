import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  addDays,
  checkCatalogue,
  indicatorDefinitionSchema,
  isValidOn,
  observationInputSchema,
  parsePeriod,
  periodEnd,
  periodStart,
  type IndicatorDefinition,
} from '@watchfloor/core';
import { REFERENCE_DATA_DIR } from '../../paths';
import { DEMO_DAILY_DAYS, DEMO_SEED, DEMO_SOURCE, generateDemoData, type DemoData, type DemoPlace } from './demo-data';

const read = (file: string): string => readFileSync(join(REFERENCE_DATA_DIR, file), 'utf8');

function loadCatalogue(): IndicatorDefinition[] {
  const file = JSON.parse(read('indicators/catalogue-demo.json')) as { _about: string; indicators: unknown[] };
  return file.indicators.map((d) => indicatorDefinitionSchema.parse(d));
}

const csvRows = (file: string): string[][] =>
  read(file)
    .trim()
    .split(/\r?\n/)
    .slice(1)
    .map((l) => l.split(','));

/** The places the caller gives: 83, 84 and the old 86 with their districts and communes until 30 June 2025, then the new 86 and its 124 communes. */
function demoPlaces(): DemoPlace[] {
  const places: DemoPlace[] = [];
  const seen = new Set<string>();
  for (const [province = '', , district = '', , ward = ''] of csvRows('admin/vn_admin_units_pre2025_v2.4.1.csv')) {
    if (!['83', '84', '86'].includes(province)) continue;
    if (!seen.has(province)) places.push({ code: province, level: 'province', validFrom: null, validTo: '2025-06-30', parentCode: 'VN' });
    if (!seen.has(district)) places.push({ code: district, level: 'district', validFrom: null, validTo: '2025-06-30', parentCode: province });
    seen.add(province).add(district);
    if (ward !== '') places.push({ code: ward, level: 'commune', validFrom: null, validTo: '2025-06-30', parentCode: district });
  }
  places.push({ code: '86', level: 'province', validFrom: '2025-07-01', validTo: null, parentCode: 'VN' });
  for (const [province = '', , ward = ''] of csvRows('admin/vn_admin_units_2025_34prov.csv')) {
    if (province === '86') places.push({ code: ward, level: 'commune', validFrom: '2025-07-01', validTo: null, parentCode: '86' });
  }
  return places;
}

const catalogue = loadCatalogue();
const byCode = new Map(catalogue.map((d) => [d.code, d]));
const places = demoPlaces();

describe('demo catalogue (data/indicators/catalogue-demo.json)', () => {
  it('validates, passes the catalogue check, and says its values are synthetic', () => {
    expect(checkCatalogue(catalogue)).toEqual([]);
    expect(catalogue.length).toBeGreaterThanOrEqual(60);
    expect((JSON.parse(read('indicators/catalogue-demo.json')) as { _about: string })._about).toMatch(/SYNTHETIC/);
  });

  it('keeps rates as ratios of base parts, and owners among the demo organisations', () => {
    const orgs = new Set((JSON.parse(read('organisations/vinh-long-demo.json')) as { organisations: { code: string }[] }).organisations.map((o) => o.code));
    for (const d of catalogue) {
      if (d.unit === '%' && d.code !== 'ECO_GRDP_GROWTH') expect([d.code, d.aggregation.places, d.ratio !== null]).toEqual([d.code, 'ratio', true]);
      if (d.ratio) expect([byCode.get(d.ratio.numerator)?.kind, byCode.get(d.ratio.denominator)?.kind]).toEqual(['base', 'base']);
      if (d.ownerOrganisationCode !== null) expect(orgs.has(d.ownerOrganisationCode)).toBe(true);
    }
  });
});

describe('demo generator', () => {
  let data: DemoData;
  beforeAll(() => {
    data = generateDemoData({ seed: DEMO_SEED, catalogue, places, from: '2021-07', to: '2026-10' });
  });

  it('produces the documented volume for July 2021 – October 2026', () => {
    expect(places.filter((p) => p.level === 'commune')).toHaveLength(354 + 124);
    expect(data.observations).toHaveLength(330_277);
    expect(data.targets).toHaveLength(3_552);
    expect(DEMO_SOURCE).toBe('demo-generator (synthetic)');
  });

  it('is deterministic: the same seed gives the same data, another seed other data, whatever the order of the places', () => {
    const input = { seed: DEMO_SEED, catalogue, places, from: '2025-01', to: '2025-12' };
    const once = generateDemoData(input);
    expect(generateDemoData({ ...input, places: [...places].reverse() })).toEqual(once);
    const other = generateDemoData({ ...input, seed: DEMO_SEED + 1 });
    expect(other.observations.length).toBeGreaterThan(0);
    expect(other.observations.map((o) => o.value)).not.toEqual(once.observations.map((o) => o.value));
  });

  it('writes valid observations of base indicators, once per natural key, with period keys of their frequency', () => {
    const keys = new Set<string>();
    const wrong: string[] = [];
    for (const o of data.observations) {
      const def = byCode.get(o.indicator);
      if (def?.kind !== 'base' || parsePeriod(o.period).kind !== def.frequency || !observationInputSchema.safeParse(o).success) wrong.push(`${o.indicator} ${o.place} ${o.period}`);
      keys.add(`${o.indicator}|${o.place}|${o.period}`);
    }
    expect(wrong).toEqual([]);
    expect(keys.size).toBe(data.observations.length);
    const fed = new Set(data.observations.map((o) => o.indicator));
    expect(catalogue.filter((d) => d.kind === 'base' && !fed.has(d.code)).map((d) => d.code)).toEqual([]);
  });

  it('puts every fact at a place valid during its period (a year at the unit that closes it)', () => {
    const versions = new Map<string, DemoPlace[]>();
    for (const p of places) versions.set(p.code, [...(versions.get(p.code) ?? []), p]);
    const wrong: string[] = [];
    for (const o of data.observations) {
      const period = parsePeriod(o.period);
      const place = versions.get(o.place)?.find((p) => isValidOn(periodEnd(period), p.validFrom, p.validTo));
      const whole = period.kind === 'year' || (place !== undefined && isValidOn(periodStart(period), place.validFrom, place.validTo));
      if (place === undefined || !whole || place.level === 'district') wrong.push(`${o.indicator} ${o.place} ${o.period}`);
    }
    expect(wrong).toEqual([]);
    // Before July 2025 at the old units, from July 2025 at the new ones.
    const retail = (month: string) => data.observations.filter((o) => o.indicator === 'TRD_RETAIL' && o.period === month).map((o) => o.place);
    expect(retail('2025-06').sort()).toEqual(['83', '84', '86']);
    expect(retail('2025-07')).toEqual(['86']);
  });

  it('keeps the parts of every rate consistent', () => {
    const value = new Map(data.observations.map((o) => [`${o.indicator}|${o.place}|${o.period}`, o.value]));
    const get = (code: string, rest: string): number | undefined => value.get(`${code}|${rest}`);
    let checked = 0;
    const wrong: string[] = [];
    for (const o of data.observations) {
      if (o.indicator !== 'PS_DOSSIER_RECEIVED' && o.indicator !== 'CR_RECEIVED') continue;
      const rest = `${o.place}|${o.period}`;
      const chain =
        o.indicator === 'PS_DOSSIER_RECEIVED'
          ? ['PS_DOSSIER_ON_TIME', 'PS_DOSSIER_RESOLVED', 'PS_DOSSIER_RECEIVED'].map((c) => get(c, rest) ?? NaN)
          : ['CR_SATISFIED', 'CR_RATED', 'CR_PROCESSED', 'CR_RECEIVED'].map((c) => get(c, rest) ?? NaN);
      const ordered = chain.every((x, i) => i === 0 || (chain[i - 1] ?? NaN) <= x);
      const dossiers =
        o.indicator !== 'PS_DOSSIER_RECEIVED' ||
        ((get('PS_DOSSIER_ON_TIME', rest) ?? NaN) + (get('PS_DOSSIER_LATE', rest) ?? NaN) === get('PS_DOSSIER_RESOLVED', rest) && (get('PS_DOSSIER_ONLINE', rest) ?? NaN) <= o.value);
      if (!ordered || !dossiers) wrong.push(`${o.indicator} ${rest}`);
      checked++;
    }
    expect(checked).toBeGreaterThan(30_000);
    // Every percentage rate of the catalogue: numerator ≤ denominator wherever both parts exist.
    for (const d of catalogue) {
      if (!d.ratio || d.unit !== '%') continue;
      for (const o of data.observations) {
        if (o.indicator !== d.ratio.numerator) continue;
        const den = get(d.ratio.denominator, `${o.place}|${o.period}`);
        if (den !== undefined && o.value > den) wrong.push(`${d.code} ${o.place} ${o.period}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('keeps daily series to a handful of stations over the last 90 days', () => {
    const daily = data.observations.filter((o) => byCode.get(o.indicator)?.frequency === 'day');
    const first = addDays('2026-10-31', 1 - DEMO_DAILY_DAYS);
    expect(daily.length).toBeGreaterThan(0);
    expect(daily.every((o) => o.period >= first && o.period <= '2026-10-31')).toBe(true);
    expect(new Set(daily.filter((o) => o.indicator === 'ENV_PM25').map((o) => o.place)).size).toBeLessThanOrEqual(6);
    expect(new Set(daily.filter((o) => o.indicator === 'ENV_SALINITY').map((o) => o.place)).size).toBeLessThanOrEqual(6);
  });

  it('leaves some figures missing or late, and marks some estimated or provisional', () => {
    const receivedCells = data.observations.filter((o) => o.indicator === 'CR_RECEIVED').length;
    expect(receivedCells).toBeLessThan(354 * 48 + 124 * 16);
    const tourism = data.observations.filter((o) => o.indicator === 'TOU_VISITORS').map((o) => o.period);
    expect(tourism).not.toContain('2026-10');
    const statuses = new Set(data.observations.map((o) => o.status));
    expect(statuses).toEqual(new Set(['final', 'provisional', 'estimated']));
    expect(data.observations.find((o) => o.indicator === 'TRD_RETAIL' && o.period === '2026-10')).toMatchObject({ status: 'estimated' });
  });

  it('withholds the late series from the last overdue month on, so they show late on any day of the month', () => {
    // Started on 6 December: November is not due yet (its figures are owed by the 15th), October is overdue.
    const early = generateDemoData({ seed: DEMO_SEED, catalogue, places, from: '2026-07', to: '2026-10', lateFrom: '2026-09' });
    const months = (code: string) => [...new Set(early.observations.filter((o) => o.indicator === code && o.place === '86').map((o) => o.period))].sort();
    expect(months('TOU_VISITORS')).toEqual(['2026-07', '2026-08']);
    // Series that are never late deliver every month, and the same months as without lateFrom.
    const onTime = generateDemoData({ seed: DEMO_SEED, catalogue, places, from: '2026-07', to: '2026-10' });
    expect(months('TRD_RETAIL')).toEqual(['2026-07', '2026-08', '2026-09', '2026-10']);
    expect(early.observations.filter((o) => o.indicator === 'TRD_RETAIL')).toEqual(onTime.observations.filter((o) => o.indicator === 'TRD_RETAIL'));
  });

  it('tells the seasonal story: dry-season salinity, Tết shopping', () => {
    const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
    const salinity = data.observations.filter((o) => o.indicator === 'ENV_SALINITY_MONTH_MAX');
    const months = (ms: string[]) => mean(salinity.filter((o) => ms.includes(o.period.slice(5))).map((o) => o.value));
    expect(months(['02', '03', '04'])).toBeGreaterThan(4 * months(['08', '09', '10']));
    // Tết 2023 fell on 22 January: January's retail sales beat February's in every old province.
    for (const place of ['83', '84', '86']) {
      const retail = (p: string) => data.observations.find((o) => o.indicator === 'TRD_RETAIL' && o.place === place && o.period === p)?.value ?? 0;
      expect(retail('2023-01')).toBeGreaterThan(retail('2023-02'));
    }
  });

  it('plans by year at the units valid at its end, per province and for a few indicators per commune', () => {
    const versions = new Map<string, DemoPlace[]>();
    for (const p of places) versions.set(p.code, [...(versions.get(p.code) ?? []), p]);
    for (const t of data.targets) {
      expect(byCode.has(t.indicator)).toBe(true);
      expect(versions.get(t.place)?.some((p) => isValidOn(`${t.year}-12-31`, p.validFrom, p.validTo))).toBe(true);
    }
    const revenue = data.targets.filter((t) => t.indicator === 'BUD_REVENUE');
    expect(revenue.filter((t) => t.year === 2024).map((t) => t.place).sort()).toEqual(['83', '84', '86']);
    expect(revenue.filter((t) => t.year === 2025).map((t) => t.place)).toEqual(['86']);
    expect(data.targets.filter((t) => t.indicator === 'PS_ON_TIME_RATE' && t.year === 2026)).toHaveLength(125);
  });

  it('draws each series only at the level the catalogue collects it at, and from the period it says the series starts', () => {
    const levelOf = new Map(places.map((p) => [p.code, p.level]));
    const wrong: string[] = [];
    for (const o of data.observations) {
      const def = byCode.get(o.indicator)!;
      const level = levelOf.get(o.place)!;
      if (def.collectedAt === null || def.since === null || !def.collectedAt.includes(level) || periodStart(parsePeriod(o.period)) < periodStart(parsePeriod(def.since))) wrong.push(`${o.indicator} ${o.place} ${o.period}`);
    }
    expect(wrong).toEqual([]);
    // Province-only series, per commune series: what a commune page can show.
    expect(byCode.get('BUD_REVENUE')?.collectedAt).toEqual(['province']);
    expect(byCode.get('PS_DOSSIER_RECEIVED')?.collectedAt).toEqual(['commune']);
    // Level-2 electronic identities exist from July 2022.
    expect(data.observations.filter((o) => o.indicator === 'DX_VNEID_ACTIVATED').map((o) => o.period).sort()[0]).toBe('2022-07');

    const moved = catalogue.map((d) => (d.code === 'BUD_REVENUE' ? { ...d, since: '2022-01' } : d));
    const later = generateDemoData({ seed: DEMO_SEED, catalogue: moved, places, from: '2021-07', to: '2022-03' });
    const revenue = later.observations.filter((o) => o.indicator === 'BUD_REVENUE').map((o) => o.period);
    expect([...new Set(revenue)].sort()).toEqual(['2022-01', '2022-02', '2022-03']);
    const misplaced = catalogue.map((d) => (d.code === 'BUD_REVENUE' ? { ...d, collectedAt: ['commune' as const] } : d));
    expect(() => generateDemoData({ seed: DEMO_SEED, catalogue: misplaced, places, from: '2021-07', to: '2021-09' })).toThrow(/BUD_REVENUE per province, but the catalogue collects it at commune/);
  });

  it('refuses a malformed range', () => {
    expect(() => generateDemoData({ seed: 1, catalogue, places, from: '2021-7', to: '2026-10' })).toThrow(/YYYY-MM/);
    expect(() => generateDemoData({ seed: 1, catalogue, places, from: '2026-10', to: '2021-07' })).toThrow(/after/);
  });
});
