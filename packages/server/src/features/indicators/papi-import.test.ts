import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DataFileError, checkCatalogue, indicatorDefinitionSchema, observationInputSchema } from '@watchfloor/core';
import { REFERENCE_DATA_DIR } from '../../paths';
import { PAPI_COLUMNS, PAPI_FILE, PAPI_INDEX, PCI_FILE, parseIndexCsv, parsePapiCsv } from './pci-import';

const text = readFileSync(join(REFERENCE_DATA_DIR, PAPI_FILE), 'utf8');
const lines = text.split('\r\n');
const header = lines[0] ?? '';
// Trà Vinh 2016, line 368 of the file.
const tv2016 = lines[367] ?? '';

describe('PAPI catalogue (data/indicators/national-indices.json)', () => {
  it('holds every indicator the PAPI file loads, never regrouped', () => {
    const raw = JSON.parse(readFileSync(join(REFERENCE_DATA_DIR, 'indicators/national-indices.json'), 'utf8')) as { indicators: unknown[] };
    const catalogue = raw.indicators.map((d) => indicatorDefinitionSchema.parse(d));
    expect(checkCatalogue(catalogue)).toEqual([]);
    for (const code of Object.values(PAPI_COLUMNS)) expect(catalogue.find((d) => d.code === code)?.regroup).toEqual({ by: 'none' });
  });
});

describe('PAPI import', () => {
  const { observations, skipped } = parsePapiCsv(text);

  it('yields Trà Vinh (84) 2016: the unweighted PAPI and its six dimensions, as the source holds them, all final', () => {
    // Read by hand in the source: sheet 2016_PAPI of PAPI_2011-2016.xlsx (the PAPI team's spreadsheet prepared for
    // papi.org.vn, shipped in mdtrinh/vietnamdata), row 56 "84 | Tra Vinh | Trà Vinh": the dimensions in columns D, I, M,
    // Q, V, AA (D stored as 4.4290680885314941, the same double as 4.429068088531494) and the unweighted PAPI in AF,
    // stored as 33.624526023864746.
    expect(tv2016).toMatch(/^2016,84,Trà Vinh,/);
    const tv = observations.filter((o) => o.place === '84' && o.period === '2016');
    expect(Object.fromEntries(tv.map((o) => [o.indicator, o.value]))).toEqual({
      PAPI: 33.624526023864746,
      PAPI_PARTICIPATION: 4.429068088531494,
      PAPI_TRANSPARENCY: 4.819333076477051,
      PAPI_ACCOUNTABILITY: 4.413287162780762,
      PAPI_CORRUPTION: 6.161190986633301,
      PAPI_PROCEDURES: 6.959500789642334,
      PAPI_SERVICES: 6.842145919799805,
    });
    // The total is the unweighted sum of the six: 4.4291 + 4.8193 + 4.4133 + 6.1612 + 6.9595 + 6.8421 = 33.6245.
    const sum = tv.filter((o) => o.indicator !== 'PAPI').reduce((a, o) => a + o.value, 0);
    expect(Math.abs(sum - 33.624526023864746)).toBeLessThan(1e-9);
    expect(tv.every((o) => o.status === 'final' && o.organisation === null)).toBe(true);
  });

  it('loads 63 provinces a year for 2011–2016 but 61 for 2014, seven figures each, nothing skipped', () => {
    // 6 × 63 − 2 rows (2014 has no scores for Bắc Giang 24 and Đồng Tháp 87 in the source), 7 figures a row (no environment or e-governance before 2018).
    expect(observations).toHaveLength((6 * 63 - 2) * 7);
    expect(skipped).toEqual([]);
    const provinces = (year: string) => new Set(observations.filter((o) => o.period === year && o.indicator === 'PAPI').map((o) => o.place));
    for (const year of ['2011', '2012', '2013', '2015', '2016']) expect(provinces(year).size).toBe(63);
    expect(provinces('2014').size).toBe(61);
    expect(provinces('2014').has('24') || provinces('2014').has('87')).toBe(false);
    expect(observations.some((o) => o.indicator === 'PAPI_ENVIRONMENT' || o.indicator === 'PAPI_E_GOVERNANCE')).toBe(false);
    expect(observations.every((o) => observationInputSchema.safeParse(o).success)).toBe(true);
    expect(new Set(observations.map((o) => `${o.indicator}|${o.place}|${o.period}`)).size).toBe(observations.length);
  });

  it('refuses a file whose header is not the PAPI layout, naming what is wrong', () => {
    const renamed = [header.replace('papi_total', 'papi'), tv2016].join('\r\n');
    expect(() => parsePapiCsv(renamed)).toThrow(DataFileError);
    expect(() => parsePapiCsv(renamed)).toThrow(`${PAPI_FILE}:1: the header lacks papi_total and has unknown papi; expected year,province_code_gso_pre2025,province_name,papi_total,`);
    // The PCI file is not a PAPI file.
    const pci = readFileSync(join(REFERENCE_DATA_DIR, PCI_FILE), 'utf8');
    expect(() => parseIndexCsv(PAPI_INDEX, pci, PCI_FILE)).toThrow(`${PCI_FILE}:1: the header lacks papi_total, papi_participation`);
  });

  it('refuses a corrupt number, an out-of-range dimension, a missing total and a duplicate province-year, naming the line', () => {
    expect(() => parsePapiCsv([header, tv2016.replace('4.429068088531494', '4,42x')].join('\r\n'))).toThrow(DataFileError);
    expect(() => parsePapiCsv([header, tv2016.replace('4.429068088531494', '44.29068088531494')].join('\r\n'))).toThrow(
      `${PAPI_FILE}:2: papi_participation must be empty or a number from 0 to 10`,
    );
    expect(() => parsePapiCsv([header, tv2016.replace('33.624526023864746', '')].join('\r\n'))).toThrow(`${PAPI_FILE}:2: papi_total the published PAPI is missing`);
    expect(() => parsePapiCsv([header, tv2016, tv2016].join('\r\n'))).toThrow(`${PAPI_FILE}:3: province 84 appears twice for 2016 (first on line 2)`);
    expect(() => parsePapiCsv([header, tv2016.replace('2016,84,', '2016,8,')].join('\r\n'))).toThrow(`${PAPI_FILE}:2: province_code_gso_pre2025`);
  });
});
