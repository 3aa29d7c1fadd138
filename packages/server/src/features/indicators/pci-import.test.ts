import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DataFileError, checkCatalogue, compositeScore, indicatorDefinitionSchema, observationInputSchema, PCI_2016_WEIGHTS, PCI_SUB_INDICES, type CompositeDefinition } from '@watchfloor/core';
import { REFERENCE_DATA_DIR } from '../../paths';
import { PCI_COLUMNS, PCI_FILE, parsePciCsv } from './pci-import';

const text = readFileSync(join(REFERENCE_DATA_DIR, PCI_FILE), 'utf8');
const catalogue = (JSON.parse(readFileSync(join(REFERENCE_DATA_DIR, 'indicators/pci.json'), 'utf8')) as { _about: string; indicators: unknown[] }).indicators.map((d) =>
  indicatorDefinitionSchema.parse(d),
);

describe('PCI catalogue (data/indicators/pci.json)', () => {
  it('validates, passes the catalogue check, and covers every column the import loads', () => {
    expect(checkCatalogue(catalogue)).toEqual([]);
    const codes = new Set(catalogue.map((d) => d.code));
    for (const code of Object.values(PCI_COLUMNS)) expect(codes.has(code)).toBe(true);
  });

  it('defines PCI as the 2016-weighted composite of the ten sub-indices', () => {
    const pci = catalogue.find((d): d is CompositeDefinition => d.code === 'PCI' && d.kind === 'composite');
    expect(pci?.components.map((c) => [c.code, c.weight])).toEqual(PCI_SUB_INDICES.map((code) => [code, PCI_2016_WEIGHTS[code]]));
    expect(pci?.ownerOrganisationCode).toBeNull();
  });
});

describe('PCI import', () => {
  const { observations, skipped } = parsePciCsv(text);

  it('yields Trà Vinh (84) 2016: the published PCI 57.6445 and its ten sub-indices, all final', () => {
    const tv = observations.filter((o) => o.place === '84' && o.period === '2016');
    expect(Object.fromEntries(tv.map((o) => [o.indicator, o.value]))).toEqual({
      PCI: 57.6445,
      PCI_ENTRY: 8.1834,
      PCI_LAND: 6.7684,
      PCI_TRANSPARENCY: 6.1393,
      PCI_TIME: 7.5186,
      PCI_INFORMAL: 6.1147,
      PCI_BIAS: 5.62,
      PCI_PROACTIVE: 4.8868,
      PCI_SUPPORT: 5.0211,
      PCI_LABOR: 4.6086,
      PCI_LEGAL: 7.0067,
    });
    expect(tv.every((o) => o.status === 'final' && o.organisation === null)).toBe(true);
  });

  it('scores Trà Vinh 2016 with the catalogue composite to the published figure', () => {
    const pci = catalogue.find((d): d is CompositeDefinition => d.code === 'PCI' && d.kind === 'composite');
    if (!pci) throw new Error('PCI missing');
    const values = new Map(observations.filter((o) => o.place === '84' && o.period === '2016').map((o) => [o.indicator, o.value] as const));
    expect(Math.abs((compositeScore(pci, values).score ?? 0) - 57.6445)).toBeLessThan(0.0002);
  });

  it('loads every published figure of the 734 coded rows, and reports the Hà Tây rows it cannot place', () => {
    expect(observations).toHaveLength(7970);
    expect(observations.filter((o) => o.indicator === 'PCI')).toHaveLength(734);
    expect(observations.every((o) => observationInputSchema.safeParse(o).success)).toBe(true);
    expect(new Set(observations.map((o) => `${o.indicator}|${o.place}|${o.period}`)).size).toBe(observations.length);
    expect(skipped.map((s) => s.line)).toEqual([43, 107, 171, 235]);
    expect(skipped[0]?.reason).toContain('Hà Tây');
    // 2005 had no labour or legal sub-index, and one of its own.
    const y2005 = observations.filter((o) => o.period === '2005' && o.place === '84').map((o) => o.indicator);
    expect(y2005).toContain('PCI_IMPLEMENT');
    expect(y2005).not.toContain('PCI_LABOR');
  });

  it('names the file and line of a corrupt row (CRLF line ends)', () => {
    const lines = text.split('\r\n');
    expect(lines[729]).toMatch(/^2016,84,Trà Vinh,8\.1834,/);
    lines[729] = (lines[729] ?? '').replace('8.1834', '8,18x');
    const corrupt = () => parsePciCsv(lines.join('\r\n'));
    expect(corrupt).toThrow(DataFileError);
    expect(corrupt).toThrow(`${PCI_FILE}:730`);
  });

  it('refuses an out-of-range score, a missing published PCI and a duplicate province-year', () => {
    const lines = text.split('\r\n');
    const header = lines[0] ?? '';
    const row = lines[729] ?? '';
    expect(() => parsePciCsv([header, row.replace('8.1834', '81.834')].join('\r\n'))).toThrow(`${PCI_FILE}:2: pci_entry must be empty or a number from 0 to 10`);
    expect(() => parsePciCsv([header, row.replace(/,57\.6445$/, ',')].join('\r\n'))).toThrow(`${PCI_FILE}:2: pci_weighted`);
    expect(() => parsePciCsv([header, row, row].join('\r\n'))).toThrow(`${PCI_FILE}:3: province 84 appears twice for 2016 (first on line 2)`);
  });
});
